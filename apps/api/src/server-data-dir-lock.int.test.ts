import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDriver } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from './testing/server-process.js';

// Real server processes on one embedded data directory: a killed holder never blocks the restart,
// a pid file naming someone else means nothing, and a live holder is refused with a clear message.

let dataDir: string;
const running: ServerProcess[] = [];

const start = () =>
  startServerProcess({ DATABASE_URL: undefined, PAYLINKS_DATA_DIR: dataDir }).then((server) => {
    running.push(server);
    return server;
  });

const healthy = async (server: ServerProcess) => (await fetch(`${server.origin}/api/health`)).status;

describe.runIf(testDriver() === 'pglite')('a server process and its data directory lock', () => {
  // One directory for both: a first start creates the database, which takes seconds.
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'paylinks-server-lock-'));
  });
  afterAll(async () => {
    await Promise.all(running.map((server) => server.kill()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts again immediately after the holder was SIGKILLed, and refuses a second while one lives', async () => {
    const first = await start();
    const refused = await start().then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(refused).toContain('Paylinks could not start');
    expect(refused).toContain(`The data directory ${dataDir} is in use by process ${first.process.pid}`);
    expect(refused).toMatch(/stop that process/);
    expect(await healthy(first)).toBe(200);

    await first.kill();
    const second = await start();
    expect(await healthy(second)).toBe(200);
    await second.kill();
  }, 60_000);

  it('starts although a lock file from an older version names an unrelated live process', async () => {
    // The killed server left its socket file; an older version's pid file takes its place.
    unlinkSync(join(dataDir, 'paylinks.lock'));
    writeFileSync(
      join(dataDir, 'paylinks.lock'),
      JSON.stringify({ pid: process.pid, hostname: hostname(), acquiredAt: '2026-01-01T00:00:00.000Z' }),
    );
    const server = await start();
    expect(await healthy(server)).toBe(200);
    await server.stop();
  }, 60_000);
});
