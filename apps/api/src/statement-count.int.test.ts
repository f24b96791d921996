import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestDatabase, testDriver } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiRuntime } from './api-runtime.js';
import { createMemoryLogger } from './logger.js';

// `pnpm bench` divides the statements a server sent during a scenario by its requests: it sends
// SIGUSR2 before and after, and reads the totals the server logs.

const secretKey = Buffer.alloc(32, 7).toString('base64');

const countsIn = (logger: ReturnType<typeof createMemoryLogger>) =>
  logger.lines
    .filter((line) => line.message === 'statement count')
    .map((line) => line.fields as { statements: number; pid: number });

async function nextCount(logger: ReturnType<typeof createMemoryLogger>, seen: number) {
  for (let i = 0; i < 200 && countsIn(logger).length <= seen; i++)
    await new Promise((r) => setTimeout(r, 10));
  return countsIn(logger)[seen];
}

describe('statement counts for the bench', () => {
  let env: Record<string, string | undefined>;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    if (testDriver() === 'postgres') {
      const database = await openTestDatabase();
      env = { DATABASE_URL: database.url, PAYLINKS_SECRET_KEY: secretKey };
      cleanup = () => database.close();
    } else {
      const dataDir = await mkdtemp(join(tmpdir(), 'paylinks-count-'));
      env = { PAYLINKS_DATA_DIR: dataDir };
      cleanup = () => rm(dataDir, { recursive: true, force: true });
    }
  });
  afterAll(() => cleanup());

  it('with PAYLINKS_COUNT_STATEMENTS=1, answers SIGUSR2 with the statements sent so far', async () => {
    const logger = createMemoryLogger();
    const runtime = await openApiRuntime({ ...env, PAYLINKS_COUNT_STATEMENTS: '1' }, logger);
    try {
      const announced = countsIn(logger)[0];
      expect(announced).toMatchObject({ pid: process.pid });
      expect((await runtime.app.request('/api/health')).status).toBe(200);
      process.kill(process.pid, 'SIGUSR2');
      const after = await nextCount(logger, 1);
      expect(after?.statements).toBeGreaterThan(announced!.statements);
    } finally {
      await runtime.close();
    }
    // Closed, it no longer listens: another runtime in this process would count on its own.
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });

  it('without it, logs no count and leaves SIGUSR2 alone', async () => {
    const logger = createMemoryLogger();
    const runtime = await openApiRuntime(env, logger);
    try {
      expect(process.listenerCount('SIGUSR2')).toBe(0);
      await runtime.app.request('/api/health');
      expect(countsIn(logger)).toEqual([]);
    } finally {
      await runtime.close();
    }
  });
});
