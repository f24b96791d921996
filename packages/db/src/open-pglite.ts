import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import type { Database, PaylinksDb } from './database';
import { once } from './once';
import * as schema from './schema/index';

export const IN_MEMORY = 'memory://';

export interface OpenPgliteOptions {
  dataDir: string;
  migrate: boolean;
  migrationsFolder: string;
  /** A dumpDataDir() tarball to start from (test templates); skips initdb. */
  loadDataDir?: Blob;
}

export async function openPglite(options: OpenPgliteOptions): Promise<Database> {
  // Loaded lazily so a PostgreSQL deployment never pays for the WASM build.
  const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  const inMemory = options.dataDir === IN_MEMORY;
  let lock: DataDirLock | undefined;
  let client: PGlite | undefined;
  try {
    if (!inMemory) {
      const dir = resolve(options.dataDir);
      mkdirSync(dir, { recursive: true });
      // Before PGlite touches the directory: a second writer must not even start recovery there.
      lock = await acquireDataDirLock(dir);
    }
    client = await PGlite.create({
      ...(inMemory ? {} : { dataDir: resolve(options.dataDir) }),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
    const pgliteDb = drizzle({ client, schema });
    if (options.migrate) await migrate(pgliteDb, { migrationsFolder: options.migrationsFolder });
    const db: PaylinksDb = pgliteDb;
    return {
      db,
      driver: 'pglite',
      migrationsFolder: options.migrationsFolder,
      close: once(async () => {
        try {
          await client?.close();
        } finally {
          await lock?.release();
        }
      }),
    };
  } catch (error) {
    await client?.close().catch(() => {});
    await lock?.release();
    throw error;
  }
}
