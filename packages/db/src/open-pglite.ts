import { resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import { ensurePrivateDataDir, makePrivate, withPrivateUmask } from './data-dir-permissions';
import type { Database, PaylinksDb, PluginMigrations } from './database';
import { once } from './once';
import * as schema from './schema/index';
import { createStatementObserver, observePglite } from './statement-observer';

export const IN_MEMORY = 'memory://';

export interface OpenPgliteOptions {
  dataDir: string;
  migrate: boolean;
  migrationsFolder: string;
  pluginMigrations?: readonly PluginMigrations[];
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
  const dir = inMemory ? undefined : resolve(options.dataDir);
  let lock: DataDirLock | undefined;
  let client: PGlite | undefined;
  const statements = createStatementObserver();
  try {
    if (dir) ensurePrivateDataDir(dir);
    const pgliteDb = await withPrivateUmask(async () => {
      // Before PGlite touches the directory: a second writer must not even start recovery there.
      if (dir) lock = await acquireDataDirLock(dir);
      client = await PGlite.create({
        ...(dir ? { dataDir: dir } : {}),
        ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      });
      observePglite(client, statements);
      const opened = drizzle({ client, schema });
      if (options.migrate) {
        await migrate(opened, { migrationsFolder: options.migrationsFolder });
        for (const plugin of options.pluginMigrations ?? []) {
          await migrate(opened, { migrationsFolder: plugin.folder, migrationsTable: plugin.table });
        }
      }
      return opened;
    });
    // Files PGlite wrote with an explicit mode; later ones sit in a directory only we can enter.
    if (dir) makePrivate(dir);
    const db: PaylinksDb = pgliteDb;
    return {
      db,
      driver: 'pglite',
      migrationsFolder: options.migrationsFolder,
      observeStatements: statements.observe,
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
