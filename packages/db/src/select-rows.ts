import type { SQL } from 'drizzle-orm';
import type { PaylinksExecutor } from './database';

/**
 * Raw `db.execute` returns `{ rows }` on PGlite and an array on postgres.js; this hides that.
 * Column types still differ for raw SQL (postgres.js returns int8 and numeric as strings), so
 * cast in SQL (`::int`, `::text`) when the value matters.
 */
export async function selectRows<Row extends Record<string, unknown>>(
  db: PaylinksExecutor,
  query: SQL,
): Promise<Row[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as Row[];
  return ((result as { rows?: Row[] }).rows ?? []) as Row[];
}
