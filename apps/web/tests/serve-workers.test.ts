import { randomBytes } from 'node:crypto';
// The cluster alone: @paylinks/db/testing would also bring the schema and @paylinks/core into the web
// app's typecheck, which checks them under the DOM's lib.
import { startThrowawayCluster, type ThrowawayCluster } from '@paylinks/db/testing/throwaway-cluster';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRunning, pidsAnswering, runningChildrenOf } from './support/processes';
import { startWebServer, type WebServer } from './support/web-server';

// `npm start` (serve.js) uses every core on PostgreSQL: worker processes sharing one port, replaced
// when one dies, all stopped by one SIGTERM. On PGlite it stays one process.

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('npm start on PostgreSQL with PAYLINKS_WORKERS=2', () => {
  let cluster: ThrowawayCluster;
  let server: WebServer;
  let health: string;

  beforeAll(async () => {
    cluster = await startThrowawayCluster();
    server = await startWebServer(
      {
        DATABASE_URL: cluster.adminUrl,
        PAYLINKS_SECRET_KEY: randomBytes(32).toString('base64'),
        PAYLINKS_WORKERS: '2',
      },
      { logName: 'serve-workers-postgres.log' },
    );
    health = `${server.baseUrl}/api/health`;
  });

  afterAll(async () => {
    await server?.stop();
    await cluster?.stop();
  });

  it('answers on one port from two worker processes, and says it is running once', async () => {
    const workers = runningChildrenOf(server.pid);
    expect(workers).toHaveLength(2);
    expect((await pidsAnswering(health, 8, workers)).sort()).toEqual(workers);
    expect(occurrences(server.output(), 'Paylinks is running at')).toBe(1);
  });

  it('keeps answering when a worker is killed, and starts another in its place', async () => {
    const [killed, survivor] = runningChildrenOf(server.pid) as [number, number];
    process.kill(killed, 'SIGKILL');
    await waitFor('the killed worker to be gone', () => (isRunning(killed) ? undefined : true));
    // Until the primary has seen the death it may still hand the dead worker a connection; from then on
    // every request is served by the survivor. Each request is bounded, so a stuck one fails here.
    await waitFor('the primary to notice', () =>
      server.output().includes(`(pid ${killed}) stopped`) ? true : undefined,
    );

    for (let i = 0; i < 20; i++)
      expect((await fetch(health, { signal: AbortSignal.timeout(10_000) })).status).toBe(200);

    const replacement = await waitFor('a replacement worker', () => {
      const workers = runningChildrenOf(server.pid);
      return workers.length === 2 && !workers.includes(killed) ? workers : undefined;
    });
    expect(replacement).toContain(survivor);
    const started = replacement.find((pid) => pid !== survivor) as number;
    // It opens the API before it takes connections; then both answer again.
    await waitFor('the replacement to listen', () =>
      server.output().includes(`(pid ${started}) is listening`) ? true : undefined,
    );
    expect((await pidsAnswering(health, 8, replacement)).sort()).toEqual(replacement);
    expect(occurrences(server.output(), 'Paylinks is running at')).toBe(1);
  });

  it('stops every worker and exits on SIGTERM', async () => {
    const workers = runningChildrenOf(server.pid);
    process.kill(server.pid, 'SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    for (const worker of workers)
      await waitFor(`worker ${worker} to exit`, () => (isRunning(worker) ? undefined : true));
  });
});

describe('npm start on PGlite with PAYLINKS_WORKERS=2', () => {
  let server: WebServer;

  beforeAll(async () => {
    server = await startWebServer({ PAYLINKS_WORKERS: '2' }, { logName: 'serve-workers-pglite.log' });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('runs one process, the only writer of its data directory, and says so', async () => {
    expect((await fetch(`${server.baseUrl}/api/health`)).status).toBe(200);
    expect(runningChildrenOf(server.pid)).toEqual([]);
    expect(server.output()).toContain('PAYLINKS_WORKERS=2 is ignored');
    expect(server.output()).toContain('Paylinks runs one process');
  });
});
