import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveSecretKey } from './secret-key.js';

describe('resolveSecretKey', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'paylinks-key-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('generates a 32-byte key into the data directory once, readable only by the owner, and reuses it', async () => {
    const first = await resolveSecretKey({ secretKey: undefined, dataDir });
    const second = await resolveSecretKey({ secretKey: undefined, dataDir });
    expect(first).toHaveLength(32);
    expect(second.equals(first)).toBe(true);
    const file = join(dataDir, 'secret.key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64').equals(first)).toBe(true);
  });

  it('prefers PAYLINKS_SECRET_KEY', async () => {
    const given = Buffer.alloc(32, 9);
    const key = await resolveSecretKey({ secretKey: given.toString('base64'), dataDir });
    expect(key.equals(given)).toBe(true);
  });

  it('refuses a corrupted key file instead of silently replacing it', async () => {
    await writeFile(join(dataDir, 'secret.key'), 'not-a-key\n');
    await expect(resolveSecretKey({ secretKey: undefined, dataDir })).rejects.toThrow(/32 bytes/);
  });
});
