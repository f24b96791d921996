import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '@paylinks/db';
import { baselineTitles, runBaselineScenarios } from './baseline-scenarios';
import { brandWorkspace } from './branding-setup';
import { measureExport } from './csv-export';
import type { DatabaseTarget } from './database-target';
import { type LoadSettings, type Measurement, rotate } from './load';
import { measurePageWeight } from './page-weight';
import type { SectionShape } from './payments-section';
import { runProductScenarios } from './product-scenarios';
import type { DriverResult, ScenarioId, ScenarioResult } from './results';
import { type SeedSizes, seed } from './seed';
import { freePort, productEnv, startBaseline, startProduct, startWebhookSink } from './servers';
import { setUpWorkspace } from './workspace-setup';

export interface DriverRunOptions {
  runDir: string;
  sizes: SeedSizes;
  settings: LoadSettings;
  log: (line: string) => void;
}

const titles: Record<ScenarioId, string> = {
  'click-through': 'click-through GET /api/pay/<token>',
  'payment-page': 'payment page GET /pay/<token>',
  checkout: 'checkout start, sandbox card',
  webhook: 'webhook, first delivery',
  'webhook-duplicate': 'webhook, duplicate delivery',
  'link-creation': 'link creation, API key',
  'section-first': 'Payments section, first page',
  'section-deep': 'Payments section, deep page',
  'section-filtered': 'Payments section, filtered page',
  'csv-export': 'CSV export (rows/s)',
};

const mb = (bytes: number) => bytes / 2 ** 20;

/**
 * One database, start to end: the product migrates it and the workspace is made through the API;
 * with the product stopped the bench seeds it with SQL; the product is started again (cold start) and
 * loaded scenario by scenario; then it stops and the baseline opens the same database (PGlite has one
 * writer per data directory) for the paired runs.
 */
export async function runDriver(target: DatabaseTarget, options: DriverRunOptions): Promise<DriverResult> {
  const { runDir, settings, log } = options;
  const secretKey = randomBytes(32).toString('base64');
  const sink = await startWebhookSink();
  const port = await freePort();
  const env = productEnv(target, port, sink.url, secretKey);
  const logFile = join(runDir, `${target.driver}-server.log`);
  try {
    let product = await startProduct(env, logFile);
    const firstStartMs = product.coldStartMs;
    const ws = await setUpWorkspace(product.baseUrl, sink.url);
    await product.stop();

    const seedStarted = performance.now();
    const database = await openDatabase({
      ...(target.databaseUrl ? { databaseUrl: target.databaseUrl } : { dataDir: target.dataDir! }),
      migrate: false,
    });
    const fixtures = await seed(database, ws, options.sizes, log).finally(() => database.close());
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    log(
      `  seeded in ${seedSeconds.toFixed(1)} s (${options.sizes.sectionPayments.toLocaleString('en')} payments)`,
    );
    const section: SectionShape = {
      workspaceId: ws.workspaceId,
      newest: fixtures.sectionNewest.toISOString(),
      stepSeconds: fixtures.sectionStepSeconds,
      count: options.sizes.sectionPayments,
    };

    product = await startProduct(env, logFile);
    const startMs = product.coldStartMs;
    const idleResidentMb = mb(product.residentBytes());
    const done = (who: string) => (id: ScenarioId, m: Measurement) =>
      log(
        `  ${who} ${titles[id]}: ${m.requestsPerSecond.toFixed(0)}/s, p99 ${m.p99Ms.toFixed(0)} ms, ${m.non2xx} non-2xx`,
      );
    let ours: Awaited<ReturnType<typeof runProductScenarios>>;
    let csv: Measurement;
    let pageWeight: DriverResult['pageWeight'];
    let brandedPageWeight: DriverResult['brandedPageWeight'];
    try {
      ours = await runProductScenarios(product, ws, fixtures, section, sink.url, settings, done('ours'));
      pageWeight = await measurePageWeight(product.baseUrl, rotate(fixtures.clickTokens.slice(-50)));
      // The same page once the workspace has a brand: its stylesheet counts in the budget, the logo beside it.
      await brandWorkspace(product.baseUrl, ws);
      brandedPageWeight = await measurePageWeight(
        product.baseUrl,
        rotate(fixtures.clickTokens.slice(-100, -50)),
      );
      csv = await measureExport(
        product,
        '/api/payments/export.csv',
        { authorization: `Bearer ${ws.apiKeys[0]}` },
        settings.durationSeconds,
      );
      done('ours')('csv-export', csv);
    } finally {
      await product.stop();
    }

    writeFileSync(join(runDir, 'page.html'), 'x'.repeat(pageWeight.identityHtmlBytes));
    const baseline = await startBaseline(
      {
        ...(target.databaseUrl ? { databaseUrl: target.databaseUrl } : { dataDir: target.dataDir }),
        staticDir: runDir,
        section,
        row: {
          workspaceId: ws.workspaceId,
          contactId: ws.contactId,
          methodId: ws.methodId,
          linkId: fixtures.checkoutLinkId,
        },
      },
      await freePort(),
      join(runDir, `${target.driver}-baseline.log`),
    );
    let base: Partial<Record<ScenarioId, Measurement>>;
    try {
      base = await runBaselineScenarios(baseline, ours, settings, done('baseline'));
      base['csv-export'] = await measureExport(baseline, '/section/export.csv', {}, settings.durationSeconds);
      done('baseline')('csv-export', base['csv-export']);
    } finally {
      await baseline.stop();
    }

    const scenarios: ScenarioResult[] = [];
    for (const id of Object.keys(titles) as ScenarioId[]) {
      const measurement = id === 'csv-export' ? csv : ours.measurements[id];
      if (!measurement) continue;
      const paired = id === 'webhook-duplicate' ? ours.measurements.webhook : base[id];
      scenarios.push({
        id,
        title: titles[id],
        ours: measurement,
        baselineTitle: baselineTitles[id],
        ...(paired ? { baseline: paired } : {}),
        unit: id === 'csv-export' ? 'rows' : 'requests',
      });
    }
    return {
      driver: target.driver,
      database: target.description,
      scenarios,
      pageWeight,
      brandedPageWeight,
      coldStart: { firstStartMs, startMs, baselineStartMs: baseline.coldStartMs, idleResidentMb },
      seedSeconds,
      sectionPayments: options.sizes.sectionPayments,
      sandboxWebhooksSunk: sink.received(),
    };
  } finally {
    await sink.close();
  }
}
