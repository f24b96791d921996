import type { AnyColumn } from 'drizzle-orm';
import { type SQL, sql } from 'drizzle-orm';

/**
 * The value an UPDATE gives `updated_at`: the change's time, but always at least a millisecond past
 * the row's previous value. Incremental sync (sync-page.ts) resumes strictly after the last
 * (updated_at, id) a client saw, so a second change within the same millisecond, or one made on an
 * instance whose clock runs a little behind, must still move the row past where the client stopped.
 * A millisecond and not a microsecond: the API shows times to the millisecond, and two versions of a
 * row must never show the same `updatedAt`.
 */
export function touchedAt(column: AnyColumn | SQL, now: Date): SQL<Date> {
  return sql<Date>`greatest(${now.toISOString()}::timestamptz, ${column} + interval '1 millisecond')`;
}

/** The same for raw SQL statements, where the column is named by its (possibly aliased) identifier. */
export function touchedAtSql(column: string, now: Date): SQL {
  return sql`greatest(${now.toISOString()}::timestamptz, ${sql.raw(column)} + interval '1 millisecond')`;
}
