import type { Database, PaylinksDb, PluginMigrations } from './database';
import { once } from './once';
import * as schema from './schema/index';
import { createStatementObserver } from './statement-observer';

export interface OpenPostgresOptions {
  databaseUrl: string;
  migrate: boolean;
  migrationsFolder: string;
  pluginMigrations?: readonly PluginMigrations[];
}

// Any constant works; it only has to be the same for every instance migrating one database.
const MIGRATION_LOCK_KEY = 7_305_441_101;

export async function openPostgres(options: OpenPostgresOptions): Promise<Database> {
  const [{ default: postgres }, { drizzle }] = await Promise.all([
    import('postgres'),
    import('drizzle-orm/postgres-js'),
  ]);
  if (options.migrate)
    await migrateWithLock(options.databaseUrl, options.migrationsFolder, options.pluginMigrations ?? []);
  // NOTICEs ("relation already exists, skipping") are noise in the logs of a healthy start.
  const statements = createStatementObserver();
  const client = postgres(options.databaseUrl, {
    onnotice: () => {},
    debug: (_connection, sql) => statements.report(sql),
    // postgres.js waits between reconnection attempts up to 20 s by default (3^n / 100 s), and a query
    // sent during an outage waits with them: at most a second, so requests resume as soon as the
    // database is back instead of hanging past a payer's patience.
    backoff: (attempt: number) => Math.min(0.05 * 2 ** attempt, 1),
  });
  const db: PaylinksDb = drizzle({ client, schema });
  return {
    db,
    driver: 'postgres',
    migrationsFolder: options.migrationsFolder,
    observeStatements: statements.observe,
    close: once(() => client.end({ timeout: 5 })),
  };
}

/**
 * Many stateless instances may start at once against one database; drizzle's migrator does not
 * serialise them, so a session advisory lock does. A single-connection client keeps the lock
 * and the migration on the same session.
 */
async function migrateWithLock(
  databaseUrl: string,
  migrationsFolder: string,
  pluginMigrations: readonly PluginMigrations[],
): Promise<void> {
  const [{ default: postgres }, { drizzle }, { migrate }] = await Promise.all([
    import('postgres'),
    import('drizzle-orm/postgres-js'),
    import('drizzle-orm/postgres-js/migrator'),
  ]);
  const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      const db = drizzle({ client });
      await migrate(db, { migrationsFolder });
      for (const plugin of pluginMigrations) {
        await migrate(db, { migrationsFolder: plugin.folder, migrationsTable: plugin.table });
      }
    } finally {
      await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}
