import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type * as schema from './schema/index';
import type { StatementListener } from './statement-observer';

export type PaylinksSchema = typeof schema;

/**
 * The one drizzle type the rest of the code sees. Both the PGlite and the postgres.js databases
 * are assignable to it, so use cases never know (or branch on) which driver runs underneath.
 */
export type PaylinksDb = PgDatabase<PgQueryResultHKT, PaylinksSchema>;

export type PaylinksTransaction = PgTransaction<
  PgQueryResultHKT,
  PaylinksSchema,
  ExtractTablesWithRelations<PaylinksSchema>
>;

/** Accepts either, so a query helper can run inside or outside a caller's transaction. */
export type PaylinksExecutor = PaylinksDb | PaylinksTransaction;

export type DatabaseDriver = 'pglite' | 'postgres';

export interface Database {
  db: PaylinksDb;
  driver: DatabaseDriver;
  /** Where this database's migrations were read from; getMigrationStatus compares against it. */
  migrationsFolder: string;
  /** Calls `listener` with every statement sent from now on (BEGIN and COMMIT too); returns the stop. */
  observeStatements(listener: StatementListener): () => void;
  /** Idempotent. For PGlite it also releases the data-directory lock. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgres:// URL: use PostgreSQL through postgres.js. Without it, embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data directory (created if missing); 'memory://' for a throwaway in-memory one. */
  dataDir?: string;
  /** Apply pending migrations at open. Default true. */
  migrate?: boolean;
  /** Default: the `migrations` folder of the installed @paylinks/db package. */
  migrationsFolder?: string;
  /** Payment-type plugins' own migrations, applied after the core ones, in this order. */
  pluginMigrations?: readonly PluginMigrations[];
  /**
   * PGlite only: run it in a worker thread of its own (default true), so its statements do not stop
   * the event loop; false runs it on the caller's thread.
   */
  pgliteThread?: boolean;
}

/** A plugin's drizzle-kit migrations folder and the table that records them (one per plugin). */
export interface PluginMigrations {
  folder: string;
  /** e.g. `__drizzle_migrations_edu`, in the `drizzle` schema like the core table. */
  table: string;
}
