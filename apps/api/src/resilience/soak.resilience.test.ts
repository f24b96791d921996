import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestDatabase, type TestDatabase, testDriver } from '@paylinks/db/testing';
import { generateWebhookSecret } from '@paylinks/plugin-sandbox';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from '../testing/server-process.js';
import {
  createLinks,
  freePort,
  payLink,
  residentKib,
  setUpWorkspace,
  unlimitedPublicPay,
  viewLink,
} from './resilience-fixtures.js';

// A soak: PAYLINKS_SOAK_REQUESTS requests (100,000 by default), half click-throughs and half
// checkouts with the sandbox card, against one real server process. Its resident memory, sampled as
// it goes, must level off after the warm-up instead of growing with every checkout it has seen, and
// on PostgreSQL its connections must stay what they were.

const requests = Number(process.env.PAYLINKS_SOAK_REQUESTS ?? 100_000);
const concurrency = 8;
const links = 100;
const samples = 20;
/** The sandbox ledger holds its last 10,000 checkouts: past that, nothing per checkout should remain. */
const warmUpSamples = Math.min(samples / 2, Math.max(4, Math.ceil((samples * 2 * 12_000) / requests)));

let database: TestDatabase | undefined;
let dataDir: string | undefined;
let server: ServerProcess | undefined;

beforeAll(async () => {
  if (testDriver() === 'postgres') database = await openTestDatabase();
  else dataDir = mkdtempSync(join(tmpdir(), 'paylinks-soak-'));
  const port = await freePort();
  server = await startServerProcess(
    {
      ...unlimitedPublicPay,
      PORT: String(port),
      // The sandbox's webhook for each checkout comes back to this server, as it would in production.
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      PAYLINKS_SECRET_KEY: randomBytes(32).toString('base64'),
      ...(database
        ? { DATABASE_URL: database.url }
        : { DATABASE_URL: undefined, PAYLINKS_DATA_DIR: dataDir }),
    },
    ['--trace-gc'],
  );
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/**
 * MB of heap the last full collection of each isolate left (the main thread, and a worker thread if
 * the database runs in one), summed, from the server's --trace-gc lines; 0 before the first.
 */
function heapAfterLastFullGc(output: string): number {
  const lastPerIsolate = new Map<string, number>();
  const fullCollection =
    /^\[\d+:(0x[0-9a-f]+)\].*Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+)/gm;
  for (const [, isolate, after] of output.matchAll(fullCollection))
    lastPerIsolate.set(isolate!, Number(after));
  return [...lastPerIsolate.values()].reduce((sum, mb) => sum + mb, 0);
}

/** The server's connections to its database, as PostgreSQL counts them (autovacuum workers aside). */
async function serverConnections(admin: postgres.Sql, databaseName: string): Promise<number> {
  const [row] = await admin<{ count: number }[]>`
    select count(*)::int as count from pg_stat_activity
    where datname = ${databaseName} and backend_type = 'client backend' and pid <> pg_backend_pid()`;
  return row!.count;
}

describe('a soak of click-throughs and checkouts', () => {
  it(`keeps resident memory flat and leaks no connection over ${requests} requests`, async () => {
    const { origin, process: child } = server!;
    const workspace = await setUpWorkspace(origin, origin, generateWebhookSecret());
    const tokens = await createLinks(origin, workspace, links);
    const admin = database ? postgres(database.url!, { max: 1, onnotice: () => {} }) : undefined;
    const databaseName = database ? new URL(database.url!).pathname.slice(1) : '';

    const rss: number[] = [];
    const liveHeap: number[] = [];
    const connections: number[] = [];
    const failures: string[] = [];
    const visits = Math.floor(requests / 2);
    const perSample = Math.ceil(visits / samples);
    let started = 0;
    let finished = 0;
    const sample = async () => {
      rss.push(residentKib(child.pid!) / 1024);
      liveHeap.push(heapAfterLastFullGc(server!.output()));
      if (admin) connections.push(await serverConnections(admin, databaseName));
    };
    const visit = async (n: number) => {
      const token = tokens[n % tokens.length]!;
      const view = await viewLink(origin, token);
      if (view.status !== 200) return failures.push(`view ${view.status} ${view.code}`);
      const paid = await payLink(origin, token, view.paymentId, view.cookie);
      if (paid.status !== 200 || paid.result !== 'complete')
        failures.push(`checkout ${paid.status} ${paid.code ?? paid.result}`);
    };
    const startedAt = Date.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (started < visits && failures.length < 10) {
          await visit(started++);
          finished += 1;
          if (finished % perSample === 0) await sample();
        }
      }),
    );
    const seconds = (Date.now() - startedAt) / 1000;
    await admin?.end();

    console.log(
      `soak (${testDriver()}): ${visits * 2} requests in ${seconds.toFixed(0)} s ` +
        `(${((visits * 2) / seconds).toFixed(0)} req/s); per ${perSample * 2} requests, RSS MiB: ` +
        `${rss.map(Math.round).join(' ')}; heap MB after full GC: ${liveHeap.map(Math.round).join(' ')}; ` +
        `connections: ${connections.join(' ') || 'n/a'}`,
    );
    expect(failures).toEqual([]);
    expect(rss.length).toBeGreaterThanOrEqual(samples);

    // After the warm-up, resident memory swings with the garbage collector (±30 % here) but must not
    // climb: the end (a median of three samples) stays within 1.3× of the warmed-up level. The heap
    // left after a full collection is what the process really holds: it must stay level too.
    const median3 = (values: number[]) => [...values].sort((x, y) => x - y)[1]!;
    const warmedRss = median3(rss.slice(warmUpSamples - 1, warmUpSamples + 2));
    expect(median3(rss.slice(-3))).toBeLessThanOrEqual(warmedRss * 1.3);
    const warmedHeap = liveHeap[warmUpSamples - 1]!;
    expect(warmedHeap).toBeGreaterThan(0);
    expect(liveHeap.at(-1)!).toBeLessThanOrEqual(warmedHeap * 1.2);

    if (database) {
      const settled = connections.slice(warmUpSamples - 1);
      expect(Math.max(...settled)).toBeLessThanOrEqual(Math.max(...connections.slice(0, warmUpSamples)));
    }
  }, 1_800_000);
});
