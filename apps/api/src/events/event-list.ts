import { type EventType, selectRows } from '@paylinks/db';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { type Cursor, decodeCursor, encodeCursor } from '../http/pagination.js';
import { type EventEnvelope, toEventEnvelope } from './event-envelope.js';

export interface EventListQuery {
  limit: number;
  cursor?: string;
  type?: EventType;
  since?: Date;
}

export interface EventPage {
  items: EventEnvelope[];
  nextCursor: string | null;
  hasMore: boolean;
}

/**
 * A workspace's events in the order they were written (the outbox's sequence), oldest first, so a
 * client that keeps `nextCursor` sees each event once. The cursor names the last event seen by its
 * id and time (the pagination's usual opaque pair), never the sequence, which counts every tenant's
 * events. A cursor whose event is past retention continues from its time.
 */
export async function listEvents(
  ctx: AppContext,
  workspaceId: string,
  query: EventListQuery,
): Promise<EventPage> {
  const after = decodeCursor(query.cursor);
  const ws = sql`${workspaceId}::uuid`;
  const conditions = [sql`e.workspace_id = ${ws}`];
  if (after) conditions.push(afterCursor(ws, after));
  if (query.type !== undefined) conditions.push(sql`e.type = ${query.type}`);
  if (query.since !== undefined)
    conditions.push(sql`e.created_at >= ${query.since.toISOString()}::timestamptz`);
  const rows = await selectRows<{ id: string; type: EventType; payload: unknown; created_at: string }>(
    ctx.db,
    sql`select e.id::text, e.type, e.payload, to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at
      from events e
      where ${sql.join(conditions, sql` and `)}
      order by e.sequence
      limit ${query.limit + 1}`,
  );
  const items = rows
    .slice(0, query.limit)
    .map((row) =>
      toEventEnvelope({ id: row.id, type: row.type, payload: row.payload, createdAt: row.created_at }),
    );
  const last = items.at(-1);
  const cursor: Cursor | undefined = last ? { createdAt: new Date(last.createdAt), id: last.id } : after;
  // The end of the list keeps a cursor too: the next call with it answers what has happened since.
  return { items, nextCursor: cursor ? encodeCursor(cursor) : null, hasMore: rows.length > query.limit };
}

function afterCursor(ws: ReturnType<typeof sql>, after: Cursor) {
  const seen = sql`(select c.sequence from events c where c.workspace_id = ${ws} and c.id = ${after.id}::uuid)`;
  return sql`(e.sequence > ${seen}
    or (not exists ${seen} and e.created_at > ${after.createdAt.toISOString()}::timestamptz))`;
}
