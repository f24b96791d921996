import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from './config.js';

const keyFileName = 'secret.key';

/**
 * The key that encrypts provider credentials. It must live outside the database: from
 * PAYLINKS_SECRET_KEY, or in embedded mode generated once into the data directory (mode 0600).
 */
export async function resolveSecretKey(options: {
  secretKey: string | undefined;
  dataDir: string;
}): Promise<Buffer> {
  if (options.secretKey) return decodeKey(options.secretKey, 'PAYLINKS_SECRET_KEY');
  const path = join(options.dataDir, keyFileName);
  await mkdir(options.dataDir, { recursive: true });
  try {
    return decodeKey((await readFile(path, 'utf8')).trim(), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  // 'wx' so two processes racing on a new directory cannot both write different keys.
  await writeFile(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

function decodeKey(encoded: string, source: string): Buffer {
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== 32) throw new ConfigError(`${source} must hold 32 bytes encoded as base64`);
  return key;
}
