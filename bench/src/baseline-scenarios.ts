import { type BenchRequest, type LoadSettings, type Measurement, measure } from './load';
import { sectionPages } from './payments-section';
import type { ProductRun } from './product-scenarios';
import type { ScenarioId } from './results';
import type { ServerProcess } from './server-process';

/** What each scenario is divided by; the INSERT answers as many bytes as the product did. */
export const baselineTitles: Record<ScenarioId, string> = {
  'click-through': 'bare INSERT, same bytes',
  'payment-page': 'static file, same size',
  checkout: 'bare INSERT, same bytes',
  webhook: 'bare INSERT, same bytes',
  'webhook-duplicate': 'first delivery (above)',
  'link-creation': 'bare INSERT, same bytes',
  'section-first': 'raw SQL of the page',
  'section-deep': 'raw SQL of the page',
  'section-filtered': 'raw SQL of the page',
  'csv-export': 'raw SQL pages → CSV',
};

const insertScenarios = ['click-through', 'checkout', 'webhook', 'link-creation'] as const;

/** A POST body of `bytes` bytes that is valid JSON, so the baseline parses as much as the product. */
function jsonOfSize(bytes: number): string {
  const bare = '{"pad":""}';
  return `{"pad":"${'x'.repeat(Math.max(0, bytes - bare.length))}"}`;
}

export async function runBaselineScenarios(
  baseline: ServerProcess,
  product: ProductRun,
  settings: LoadSettings,
  onDone: (id: ScenarioId, m: Measurement) => void,
): Promise<Partial<Record<ScenarioId, Measurement>>> {
  const measured: Partial<Record<ScenarioId, Measurement>> = {};
  const run = async (id: ScenarioId, request: BenchRequest) => {
    const result = await measure(baseline, () => request, settings);
    measured[id] = result;
    onDone(id, result);
  };
  for (const id of insertScenarios) {
    const shape = product.shapes[id];
    if (!shape) continue;
    await run(
      id,
      shape.requestBytes > 0
        ? {
            method: 'POST',
            path: `/insert?bytes=${shape.responseBytes}`,
            headers: { 'content-type': 'application/json' },
            body: jsonOfSize(shape.requestBytes),
          }
        : { method: 'GET', path: `/insert?bytes=${shape.responseBytes}` },
    );
  }
  await run('payment-page', { method: 'GET', path: '/static/page.html' });
  for (const page of sectionPages) await run(`section-${page}`, { method: 'GET', path: `/section/${page}` });
  return measured;
}
