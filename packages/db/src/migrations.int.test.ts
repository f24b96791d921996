import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from './client';
import type { Database } from './database';
import { getMigrationStatus } from './migration-status';
import { defaultMigrationsFolder } from './migrations-folder';
import { selectRows } from './select-rows';
import { testDriver } from './testing/index';
import { databaseUrlFor } from './testing/provided-context';

const EXPECTED_TABLES = [
  'account',
  'apikey',
  'contacts',
  'deals',
  'events',
  'idempotency_keys',
  'invitation',
  'link_mail_events',
  'link_mails',
  'member',
  'member_invitations',
  'payment_events',
  'payment_link_changes',
  'payment_links',
  'payment_methods',
  'payments',
  'pipeline_stages',
  'pipelines',
  'rate_limit_hits',
  'refunds',
  'session',
  'stage_automations',
  'user',
  'verification',
  'webhook_deliveries',
  'webhook_delivery_attempts',
  'webhook_endpoints',
  'webhook_receipts',
  'workspace_branding',
  'workspaces',
];

const journal = JSON.parse(
  readFileSync(join(defaultMigrationsFolder(), 'meta', '_journal.json'), 'utf8'),
) as {
  entries: { tag: string }[];
};

/** An empty database of this driver that can be opened several times (a dir, or a database). */
let target: { options: { dataDir?: string; databaseUrl?: string }; cleanup(): Promise<void> };

beforeAll(async () => {
  if (testDriver() === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'paylinks-migrate-'));
    target = { options: { dataDir }, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
    return;
  }
  const { adminUrl } = inject('paylinksPostgres');
  const name = `paylinks_empty_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  target = {
    options: { databaseUrl: databaseUrlFor(adminUrl, name) },
    cleanup: async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
});
afterAll(() => target.cleanup());

async function tables(database: Database): Promise<string[]> {
  const rows = await selectRows<{ name: string }>(
    database.db,
    sql`select table_name::text as name from information_schema.tables where table_schema = 'public' order by 1`,
  );
  return rows.map((row) => row.name);
}

describe('migrations from an empty database', () => {
  it('reports nothing applied before, every table and the latest tag after, and re-running is a no-op', async () => {
    const before = await openDatabase({ ...target.options, migrate: false });
    expect(before.driver).toBe(testDriver());
    expect(await tables(before)).toEqual([]);
    expect(await getMigrationStatus(before)).toEqual({
      applied: 0,
      latest: null,
      pending: journal.entries.length,
    });
    await before.close();

    const migrated = await openDatabase(target.options);
    expect(await tables(migrated)).toEqual(EXPECTED_TABLES);
    const status = await getMigrationStatus(migrated);
    expect(status).toEqual({
      applied: journal.entries.length,
      latest: journal.entries.at(-1)!.tag,
      pending: 0,
    });
    await migrated.close();

    const again = await openDatabase(target.options);
    expect(await getMigrationStatus(again)).toEqual(status);
    await again.close();
  });
});

describe("a payment-type plugin's migrations", () => {
  const plugin = {
    folder: join(import.meta.dirname, 'test-support', 'plugin-migrations'),
    table: '__drizzle_migrations_probe',
  };

  it('apply after the core ones, recorded in their own table, and re-running is a no-op', async () => {
    const coreOnly = await openDatabase(target.options);
    const coreStatus = await getMigrationStatus(coreOnly);
    await coreOnly.close();

    for (let open = 0; open < 2; open++) {
      const database = await openDatabase({ ...target.options, pluginMigrations: [plugin] });
      expect(await tables(database)).toEqual([...EXPECTED_TABLES, 'plugin_probe'].sort());
      const [row] = await selectRows<{ count: number }>(
        database.db,
        sql`select count(*)::int as count from drizzle.__drizzle_migrations_probe`,
      );
      expect(row?.count).toBe(1);
      // The core's own record is untouched by the plugin's.
      expect(await getMigrationStatus(database)).toEqual(coreStatus);
      await database.close();
    }
  });
});
