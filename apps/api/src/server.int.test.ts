import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestDatabase, testDriver } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from './config.js';
import { createMemoryLogger } from './logger.js';
import { startServer } from './server.js';

const secretKey = Buffer.alloc(32, 5).toString('base64');

async function health(url: string) {
  const response = await fetch(`${url}/api/health`);
  return { status: response.status, body: (await response.json()) as any };
}

describe.runIf(testDriver() === 'pglite')('server on the embedded database', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'paylinks-server-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('creates and migrates the data directory, generates the secret key and serves health', async () => {
    const server = await startServer({ PORT: '0', PAYLINKS_DATA_DIR: dataDir }, createMemoryLogger());
    try {
      const { status, body } = await health(server.url);
      expect(status).toBe(200);
      expect(body.database).toMatchObject({ driver: 'pglite', migrations: { pending: 0 } });
      expect((await stat(join(dataDir, 'secret.key'))).mode & 0o777).toBe(0o600);

      // PGlite loses rows when two processes share a directory, so a second server must refuse it.
      const second = startServer({ PORT: '0', PAYLINKS_DATA_DIR: dataDir }, createMemoryLogger());
      await expect(second).rejects.toThrow(dataDir);
      expect((await health(server.url)).status).toBe(200);
    } finally {
      await server.close();
    }
    const reopened = await startServer({ PORT: '0', PAYLINKS_DATA_DIR: dataDir }, createMemoryLogger());
    expect((await health(reopened.url)).body.database.migrations.pending).toBe(0);
    await reopened.close();
  });
});

describe.runIf(testDriver() === 'postgres')('server on PostgreSQL', () => {
  it('serves health on DATABASE_URL with the given secret key', async () => {
    const database = await openTestDatabase();
    try {
      const server = await startServer(
        { PORT: '0', DATABASE_URL: database.url, PAYLINKS_SECRET_KEY: secretKey },
        createMemoryLogger(),
      );
      const { status, body } = await health(server.url);
      await server.close();
      expect(status).toBe(200);
      expect(body.database).toMatchObject({ driver: 'postgres', migrations: { pending: 0 } });
    } finally {
      await database.close();
    }
  });

  it('refuses to start on DATABASE_URL without PAYLINKS_SECRET_KEY', async () => {
    await expect(
      startServer({ PORT: '0', DATABASE_URL: 'postgres://127.0.0.1:1/none' }, createMemoryLogger()),
    ).rejects.toThrow(ConfigError);
  });
});
