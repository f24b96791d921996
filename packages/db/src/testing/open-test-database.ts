import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase } from '../client';
import type { Database } from '../database';
import { resolveMigrationsFolder } from '../migrations-folder';
import { openPglite } from '../open-pglite';
import { pgliteTemplate } from './pglite-template';
import { databaseUrlFor, PROVIDED_KEY, pluginMigrationsFrom } from './provided-context';

export type TestDriver = Database['driver'];

/** On PostgreSQL also the connection URL, for tests that start a server process against it. */
export type TestDatabase = Database & { url?: string };

/** The driver of the running vitest project, set by dbTestProjects() through the environment. */
export function testDriver(): TestDriver {
  const driver = process.env.PAYLINKS_TEST_DRIVER;
  if (driver === 'pglite' || driver === 'postgres') return driver;
  throw new Error(
    `PAYLINKS_TEST_DRIVER is ${driver === undefined ? 'not set' : `"${driver}"`}: integration tests must run ` +
      'in the "pglite" or "postgres" project from dbTestProjects() (@paylinks/db/testing).',
  );
}

/**
 * A migrated, empty database of its own for the calling test file (or test): a fresh
 * PostgreSQL database copied from the template, or an in-memory PGlite loaded from a migrated
 * dump. close() drops/discards it. Call it in beforeAll and close in afterAll.
 */
export async function openTestDatabase(): Promise<TestDatabase> {
  const migrationsFolder = resolveMigrationsFolder(undefined);
  if (testDriver() === 'pglite') {
    const loadDataDir = await pgliteTemplate(migrationsFolder, pluginMigrationsFrom(process.env));
    return openPglite({ dataDir: 'memory://', migrate: false, migrationsFolder, loadDataDir });
  }

  const { adminUrl, templateDatabase } = inject(PROVIDED_KEY);
  const name = `paylinks_test_${randomBytes(8).toString('hex')}`;
  await withAdmin(adminUrl, (admin) =>
    admin.unsafe(`create database "${name}" template "${templateDatabase}"`),
  );
  const url = databaseUrlFor(adminUrl, name);
  const database = await openDatabase({ databaseUrl: url, migrate: false });
  let closed: Promise<void> | undefined;
  return {
    ...database,
    url,
    close() {
      closed ??= database
        .close()
        .then(() =>
          withAdmin(adminUrl, (admin) => admin.unsafe(`drop database if exists "${name}" with (force)`)),
        )
        .then(() => undefined);
      return closed;
    },
  };
}

async function withAdmin<T>(adminUrl: string, work: (admin: postgres.Sql) => Promise<T>): Promise<T> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
