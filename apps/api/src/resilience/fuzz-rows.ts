import { type Database, selectRows } from '@paylinks/db';
import { sql } from 'drizzle-orm';

// Every stored row, as text, of every table but the server's own bookkeeping, so a test can say
// exactly which rows a request changed.

/**
 * Tables whose rows change on refused requests by design: rate_limit_hits counts requests (a
 * refusal is one), idempotency_keys holds claims and replays of POSTs sent with a key.
 */
const bookkeepingTables = new Set(['rate_limit_hits', 'idempotency_keys']);

/**
 * Columns written on every authenticated request: the session's sliding expiry, and the API key's
 * usage counters (its per-key rate limit). Everything else in those rows must stay.
 */
const bookkeepingColumns: Record<string, string[]> = {
  session: ['expires_at', 'updated_at'],
  apikey: ['last_request', 'request_count', 'remaining', 'last_refill_at', 'updated_at'],
};

/** table → sorted row texts. */
export type StoredRows = Record<string, string[]>;

export async function storedRows(database: Database): Promise<StoredRows> {
  const tables = await selectRows<{ name: string }>(
    database.db,
    sql`select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const kept = tables.map((t) => t.name).filter((name) => !bookkeepingTables.has(name));
  // One statement for all tables: on PostgreSQL this runs after every fuzzed request.
  const parts = kept.map((name) => {
    const dropped = (bookkeepingColumns[name] ?? []).map((column) => ` - '${column}'`).join('');
    return `select '${name}' as t, (to_jsonb(x)${dropped})::text as r from "${name}" x`;
  });
  const rows = await selectRows<{ t: string; r: string }>(database.db, sql.raw(parts.join(' union all ')));
  const snapshot: StoredRows = Object.fromEntries(kept.map((name) => [name, [] as string[]]));
  for (const { t, r } of rows) snapshot[t]!.push(r);
  for (const list of Object.values(snapshot)) list.sort();
  return snapshot;
}

/** Rows only in `before` (changed or deleted) and only in `after` (changed or added), per table. */
export function rowChanges(before: StoredRows, after: StoredRows): { table: string; row: string }[] {
  const changes: { table: string; row: string }[] = [];
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = new Set(before[table] ?? []);
    const is = new Set(after[table] ?? []);
    for (const row of was) if (!is.has(row)) changes.push({ table, row: `- ${row}` });
    for (const row of is) if (!was.has(row)) changes.push({ table, row: `+ ${row}` });
  }
  return changes;
}

/**
 * A refused transition (a team member confirming a payment that is no longer Processing) is answered
 * 409 and, by design, kept in the payment's timeline: a new audit row that changes no status.
 */
export function isAuditOfRefusal({ table, row }: { table: string; row: string }): boolean {
  if (table !== 'payment_events' || !row.startsWith('+ ')) return false;
  const event = JSON.parse(row.slice(2)) as { to_status: unknown; payload?: { outcome?: unknown } };
  return event.to_status === null && ['refused', 'stale'].includes(String(event.payload?.outcome));
}
