import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Database } from './database';
import { selectRows } from './select-rows';

export interface MigrationStatus {
  /** Rows in drizzle's migrations table. */
  applied: number;
  /** Tag of the newest applied migration (e.g. '0000_init'), or null on an empty database. */
  latest: string | null;
  /** Migrations shipped with this build but not applied yet; non-zero means a restart is due. */
  pending: number;
}

interface Journal {
  entries: { idx: number; when: number; tag: string }[];
}

export async function getMigrationStatus(database: Database): Promise<MigrationStatus> {
  const journal = JSON.parse(
    readFileSync(join(database.migrationsFolder, 'meta', '_journal.json'), 'utf8'),
  ) as Journal;
  const [exists] = await selectRows<{ present: boolean }>(
    database.db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  if (!exists?.present) return { applied: 0, latest: null, pending: journal.entries.length };

  // drizzle records each migration's journal `when` as created_at; that is the join key.
  const rows = await selectRows<{ created_at: string }>(
    database.db,
    sql`select created_at::text as created_at from drizzle.__drizzle_migrations order by created_at`,
  );
  const appliedWhens = new Set(rows.map((row) => Number(row.created_at)));
  const newest = rows.at(-1);
  const latest =
    newest === undefined
      ? null
      : (journal.entries.find((entry) => entry.when === Number(newest.created_at))?.tag ??
        `unknown (${newest.created_at})`);
  const pending = journal.entries.filter((entry) => !appliedWhens.has(entry.when)).length;
  return { applied: rows.length, latest, pending };
}
