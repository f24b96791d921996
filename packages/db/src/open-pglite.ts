import { resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import { ensurePrivateDataDir, makePrivate, withPrivateUmask } from './data-dir-permissions';
import type { Database, PaylinksDb, PluginMigrations } from './database';
import { once } from './once';
import { openPgliteInWorker } from './pglite-thread';
import * as schema from './schema/index';
import { createStatementObserver, observePglite, type StatementObserver } from './statement-observer';

export const IN_MEMORY = 'memory://';

export interface OpenPgliteOptions {
  dataDir: string;
  migrate: boolean;
  migrationsFolder: string;
  pluginMigrations?: readonly PluginMigrations[];
  /** A dumpDataDir() tarball to start from (test templates); skips initdb. */
  loadDataDir?: Blob;
  /**
   * Run PGlite in a worker thread of its own, reached over the PostgreSQL wire protocol, so its
   * statements no longer stop the event loop (pglite-thread.ts). Default false here; openDatabase,
   * the server's way in, turns it on.
   */
  thread?: boolean;
}

/** An opened PGlite, whichever thread it runs on: the drizzle database and how to close it. */
export interface PgliteEngine {
  db: PaylinksDb;
  close(): Promise<void>;
}

export interface PgliteEngineOptions {
  /** Absolute data directory; undefined for an in-memory database. */
  dir: string | undefined;
  /** The migrations to apply, in order, as drizzle's migrator takes them. */
  migrations: { migrationsFolder: string; migrationsTable?: string }[];
  loadDataDir?: Blob;
  statements: StatementObserver;
}

export async function openPglite(options: OpenPgliteOptions): Promise<Database> {
  const dir = options.dataDir === IN_MEMORY ? undefined : resolve(options.dataDir);
  const migrations = options.migrate
    ? [
        { migrationsFolder: options.migrationsFolder },
        ...(options.pluginMigrations ?? []).map((plugin) => ({
          migrationsFolder: plugin.folder,
          migrationsTable: plugin.table,
        })),
      ]
    : [];
  const statements = createStatementObserver();
  let lock: DataDirLock | undefined;
  let engine: PgliteEngine | undefined;
  try {
    if (dir) ensurePrivateDataDir(dir);
    engine = await withPrivateUmask(async () => {
      // Before PGlite touches the directory: a second writer must not even start recovery there.
      if (dir) lock = await acquireDataDirLock(dir);
      const engineOptions = { dir, migrations, loadDataDir: options.loadDataDir, statements };
      return options.thread ? openPgliteInWorker(engineOptions) : openPgliteHere(engineOptions);
    });
    // Files PGlite wrote with an explicit mode; later ones sit in a directory only we can enter.
    if (dir) makePrivate(dir);
    const opened = engine;
    return {
      db: opened.db,
      driver: 'pglite',
      migrationsFolder: options.migrationsFolder,
      observeStatements: statements.observe,
      close: once(async () => {
        try {
          await opened.close();
        } finally {
          await lock?.release();
        }
      }),
    };
  } catch (error) {
    await engine?.close().catch(() => {});
    await lock?.release();
    throw error;
  }
}

/** PGlite on this thread: every statement runs on the event loop. */
async function openPgliteHere(options: PgliteEngineOptions): Promise<PgliteEngine> {
  // Loaded lazily so a PostgreSQL deployment never pays for the WASM build.
  const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  let client: PGlite | undefined;
  try {
    client = await PGlite.create({
      ...(options.dir ? { dataDir: options.dir } : {}),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
    observePglite(client, options.statements);
    const db = drizzle({ client, schema });
    for (const step of options.migrations) await migrate(db, step);
    const opened = client;
    return { db, close: () => opened.close() };
  } catch (error) {
    await client?.close().catch(() => {});
    throw error;
  }
}
