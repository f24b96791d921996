import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDriver } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from './testing/server-process.js';

describe.runIf(testDriver() === 'pglite')('a server process on a data directory others can read', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'paylinks-server-modes-'));
    chmodSync(dataDir, 0o755);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses to start, printing what is wrong and the command that fixes it, with no stack trace', async () => {
    const refused = await startServerProcess({ DATABASE_URL: undefined, PAYLINKS_DATA_DIR: dataDir }).then(
      async (server) => {
        await server.kill();
        return 'started';
      },
      (error: Error) => error.message,
    );
    expect(refused).toContain('Paylinks could not start');
    expect(refused).toContain(
      `The data directory ${dataDir} can be read by other users on this machine (mode 0755)`,
    );
    expect(refused).toContain(`chmod -R go-rwx ${dataDir}`);
    expect(refused).not.toMatch(/\n\s+at /);
  }, 60_000);
});
