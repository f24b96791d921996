import { z } from '@hono/zod-openapi';
import { type AnyColumn, asc, type SQL, sql } from 'drizzle-orm';
import { type Cursor, decodeCursor } from '../http/pagination.js';
import { ProblemError } from '../http/problem.js';

/**
 * Incremental sync: with `updatedSince` a list walks its rows by (updated_at, id) ascending instead of
 * newest first, and its cursor holds that pair. Every write moves a row's updated_at forward
 * (updated-at.ts), so a row changed after a client read it lands behind the client's position and
 * comes again, once; a row changed before the client reached it is met once, at its new place.
 * The cursor keeps updated_at to the microsecond (rows stamped by the database's own clock carry
 * microseconds), so resuming strictly after it never returns the same version twice.
 */
export const updatedSinceQuery = {
  updatedSince: z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({
      description:
        'Incremental sync: only rows changed at or after this time, oldest change first, ordered by ' +
        '(updatedAt, id). nextCursor is then always set: store it and pass it as cursor next time ' +
        '(with or without updatedSince) to get every later change; a page shorter than limit means you ' +
        'are up to date. See "Incremental sync" in the README for the overlap a client should re-read.',
      example: '2026-11-26T12:00:00.000Z',
    }),
};

/** Where a sync walk resumes: strictly after this (updated_at, id). */
export interface SyncPosition {
  /** ISO 8601 in UTC with microseconds, as PostgreSQL stores it. */
  updatedAt: string;
  id: string;
}

/** The list mode a query asks for: the newest-first walk (optionally after a cursor), or a sync walk. */
export type ListWalk = { kind: 'newest'; after: Cursor | undefined } | { kind: 'sync'; after: SyncPosition };

const SYNC_MARK = 'u';
// Below every real id: a walk that starts at updatedSince includes the rows stamped exactly then.
const NIL_ID = '00000000-0000-0000-0000-000000000000';
const syncCursorShape = z.tuple([
  z.literal(SYNC_MARK),
  z.iso.datetime({ precision: 6 }),
  z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
]);

export function encodeSyncCursor(position: SyncPosition): string {
  return Buffer.from(JSON.stringify([SYNC_MARK, position.updatedAt, position.id])).toString('base64url');
}

function decodeSyncCursor(cursor: string): SyncPosition | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = syncCursorShape.safeParse(raw);
  return parsed.success ? { updatedAt: parsed.data[1], id: parsed.data[2] } : undefined;
}

/** A time as the sync cursor spells it: UTC, six fractional digits. */
function microsecondIso(at: Date): string {
  return at.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Decides the walk from `cursor` and `updatedSince`. A sync cursor continues its sync walk; a
 * newest-first cursor cannot be combined with updatedSince (it marks a place in another order), and
 * anything else that is not a cursor we made is refused as before (422 invalid_cursor).
 */
export function listWalk(query: {
  cursor?: string | undefined;
  updatedSince?: string | undefined;
}): ListWalk {
  const { cursor, updatedSince } = query;
  if (cursor !== undefined) {
    const position = decodeSyncCursor(cursor);
    if (position) return { kind: 'sync', after: position };
    if (updatedSince !== undefined) {
      throw new ProblemError(422, {
        code: 'invalid_cursor',
        field: 'cursor',
        message: 'This cursor is not from an updatedSince list; pass the nextCursor of one.',
      });
    }
    return { kind: 'newest', after: decodeCursor(cursor) };
  }
  if (updatedSince !== undefined) {
    return { kind: 'sync', after: { updatedAt: microsecondIso(new Date(updatedSince)), id: NIL_ID } };
  }
  return { kind: 'newest', after: undefined };
}

interface SyncColumns {
  updatedAt: AnyColumn;
  id: AnyColumn;
}

/** The row's updated_at to the microsecond, in the cursor's spelling; select it as `syncKey`. */
export function syncKey(columns: SyncColumns): SQL<string> {
  return sql<string>`to_char(${columns.updatedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** Rows strictly after the position; matches the (workspace_id, updated_at, id) indexes. */
export function afterPosition(columns: SyncColumns, after: SyncPosition): SQL {
  return sql`(${columns.updatedAt}, ${columns.id}) > (${after.updatedAt}::timestamptz, ${after.id}::uuid)`;
}

export function syncOrder(columns: SyncColumns): SQL[] {
  return [asc(columns.updatedAt), asc(columns.id)];
}

/**
 * Fetch limit + 1 rows, then call this. Unlike the newest-first walk the cursor is never null: the
 * client keeps it and resumes from it later, when there may be new changes.
 */
export function toSyncPage<T extends { id: string; syncKey: string }>(
  rows: T[],
  limit: number,
  after: SyncPosition,
): { items: T[]; nextCursor: string } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: encodeSyncCursor(last ? { updatedAt: last.syncKey, id: last.id } : after) };
}
