import { z } from '@hono/zod-openapi';
import { ProblemError } from './problem.js';

/**
 * Keyset pagination: lists are ordered newest first by (created_at, id), and the cursor is the
 * last row's pair, opaque to clients. Rows inserted while paging never shift a page.
 */
export interface Cursor {
  createdAt: Date;
  id: string;
}

export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50).openapi({ description: 'Page size, 1–100' }),
  cursor: z.string().max(200).optional().openapi({ description: 'nextCursor from the previous page' }),
});

export function encodeCursor(row: Cursor): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

const cursorShape = z.tuple([z.iso.datetime(), z.uuid()]);

export function decodeCursor(cursor: string | undefined): Cursor | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [createdAt, id] = cursorShape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { createdAt: new Date(createdAt), id };
  } catch {
    throw new ProblemError(422, {
      code: 'invalid_cursor',
      field: 'cursor',
      message: 'The cursor is not valid.',
    });
  }
}

/** Fetch limit + 1 rows, then call this: it trims the extra row and says where the next page starts. */
export function toPage<T extends Cursor>(
  rows: T[],
  limit: number,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
