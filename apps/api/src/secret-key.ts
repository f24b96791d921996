import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from './config.js';

const keyFileName = 'secret.key';

/**
 * The key that encrypts provider credentials. It must live outside the database: from
 * PAYLINKS_SECRET_KEY, or in embedded mode generated once into the data directory (mode 0600).
 * With an external PostgreSQL there is no data directory we own, so the key must be given.
 */
export async function resolveSecretKey(options: {
  secretKey: string | undefined;
  databaseUrl: string | undefined;
  dataDir: string;
}): Promise<Buffer> {
  if (options.secretKey) return decodeKey(options.secretKey, 'PAYLINKS_SECRET_KEY');
  if (options.databaseUrl) {
    throw new ConfigError(
      'PAYLINKS_SECRET_KEY is required with DATABASE_URL (generate one with: openssl rand -base64 32)',
    );
  }
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
