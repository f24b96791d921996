import { createHash } from 'node:crypto';
import { idempotencyKeys } from '@paylinks/db';
import { and, eq, getTableColumns, isNull, lte, or, sql } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import type { AppContext } from '../app-context.js';
import type { MemberEnv } from '../auth/caller.js';
import { ProblemError, problemResponse } from './problem.js';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * How long a claim protects a running request. Longer than any request may take, so a claim still
 * inside its lease belongs to a live request; past it, the holder has crashed and the key is taken
 * over instead of answering "in progress" until the key expires.
 */
export const IDEMPOTENCY_LEASE_MS = 60_000;

const IN_PROGRESS_RETRY_AFTER_S = 1;

export interface IdempotencyOptions {
  leaseMs?: number;
}

// Visible ASCII and inner spaces; a header value cannot carry anything else safely.
const KEY_SHAPE = /^[\x20-\x7e]{1,255}$/;

/** What a stored response keeps: the body as exact text, so a replay is byte-for-byte the same. */
interface StoredResponse {
  contentType: string | null;
  body: string;
}

function requestHash(method: string, url: string, body: string): string {
  const { pathname, search } = new URL(url);
  return createHash('sha256').update(`${method}\n${pathname}${search}\n${body}`).digest('hex');
}

function replay(status: number, stored: StoredResponse): Response {
  const headers = new Headers({ [REPLAYED_HEADER]: 'true' });
  if (stored.contentType) headers.set('content-type', stored.contentType);
  // 204 and 304 may not carry a body, even an empty one.
  const body = status === 204 || status === 304 ? null : stored.body;
  return new Response(body, { status, headers });
}

function isStoredResponse(value: unknown): value is StoredResponse {
  const candidate = value as Partial<StoredResponse> | null;
  return typeof candidate?.body === 'string';
}

/**
 * Idempotency-Key on POST: the same key and body answer the first response again (marked
 * Idempotent-Replayed: true); the same key with another body, or while the first request still
 * runs, is a 409. The key row is inserted before the handler runs, so of two concurrent requests
 * only one executes. Only 2xx answers are kept: a refusal changed nothing, so running the request
 * again is harmless and answers from the current state (a method enabled since, for example).
 * A claim carries a lease: a process killed mid-request leaves a claim that the next request
 * with that key takes over once the lease has run out.
 */
export function idempotency(ctx: AppContext, options: IdempotencyOptions = {}) {
  const keys = idempotencyKeys;
  const leaseMs = options.leaseMs ?? IDEMPOTENCY_LEASE_MS;

  /**
   * Claims the key, or reads the row that holds it, in one statement: a retry and a replay cost one
   * round trip. A claim committed by a concurrent request after this statement began is neither
   * claimed nor seen: no row, and the caller tries another round.
   */
  const claim = async (workspaceId: string, key: string, hash: string, now: Date, leaseUntil: Date) => {
    const inserted = ctx.db.$with('inserted').as(
      ctx.db
        .insert(keys)
        .values({ workspaceId, key, requestHash: hash, createdAt: now, leaseUntil })
        .onConflictDoNothing({ target: [keys.workspaceId, keys.key] })
        .returning({ id: keys.id }),
    );
    const [row] = await ctx.db
      .with(inserted)
      .select({
        claimedId: sql<string | null>`(select id from ${inserted})`,
        existing: getTableColumns(keys),
      })
      .from(sql`(select 1) as one`)
      .leftJoin(
        keys,
        and(
          eq(keys.workspaceId, workspaceId),
          eq(keys.key, key),
          sql`not exists (select 1 from ${inserted})`,
        ),
      );
    return { claimed: row?.claimedId ?? undefined, existing: row?.existing ?? undefined };
  };

  /**
   * One conditional UPDATE: of two requests finding the same abandoned claim, only the first
   * matches (the second re-reads the row and sees the new lease). The key's 24 hours restart with
   * the run that will produce its response. A claim without a lease (written before leases
   * existed) counts as leased from its creation.
   */
  const takeOver = async (id: string, hash: string, now: Date, leaseUntil: Date) => {
    const taken = await ctx.db
      .update(keys)
      .set({ leaseUntil, createdAt: now })
      .where(
        and(
          eq(keys.id, id),
          eq(keys.requestHash, hash),
          isNull(keys.responseStatus),
          or(
            lte(keys.leaseUntil, now),
            and(isNull(keys.leaseUntil), lte(keys.createdAt, new Date(now.getTime() - leaseMs))),
          ),
        ),
      )
      .returning({ id: keys.id });
    return taken.length > 0;
  };

  // Both are fenced by our lease: a request that outlived it (and was taken over) must neither
  // delete nor overwrite the claim of the request that took over.
  const ours = (id: string, leaseUntil: Date) => and(eq(keys.id, id), eq(keys.leaseUntil, leaseUntil));
  const release = (id: string, leaseUntil: Date) => ctx.db.delete(keys).where(ours(id, leaseUntil));

  const store = async (id: string, leaseUntil: Date, res: Response) => {
    const stored: StoredResponse = {
      contentType: res.headers.get('content-type'),
      body: await res.clone().text(),
    };
    await ctx.db
      .update(keys)
      .set({ responseStatus: res.status, responseBody: stored })
      .where(ours(id, leaseUntil));
  };

  const keep = (res: Response) => res.status >= 200 && res.status < 300 && !res.headers.has('set-cookie');

  return createMiddleware<MemberEnv>(async (c, next) => {
    const key = c.req.header(IDEMPOTENCY_KEY_HEADER);
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (!KEY_SHAPE.test(key)) {
      throw new ProblemError(422, {
        code: 'invalid_idempotency_key',
        field: IDEMPOTENCY_KEY_HEADER,
        message: 'Idempotency-Key must be 1–255 printable ASCII characters.',
      });
    }
    const { workspaceId } = c.get('caller');
    const hash = requestHash(c.req.method, c.req.url, await c.req.text());

    const run = async (id: string, leaseUntil: Date) => {
      try {
        await next();
      } catch (error) {
        await release(id, leaseUntil);
        throw error;
      }
      if (keep(c.res)) await store(id, leaseUntil, c.res);
      else await release(id, leaseUntil);
    };

    // A few rounds at most: each lost race means another request just claimed, took over or
    // released the key.
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = ctx.clock.now();
      const leaseUntil = new Date(now.getTime() + leaseMs);
      const { claimed, existing: row } = await claim(workspaceId, key, hash, now, leaseUntil);
      if (claimed !== undefined) return run(claimed, leaseUntil);
      if (!row) continue;
      if (now.getTime() - row.createdAt.getTime() >= IDEMPOTENCY_KEY_TTL_MS) {
        await ctx.db.delete(keys).where(and(eq(keys.id, row.id), eq(keys.createdAt, row.createdAt)));
        continue;
      }
      if (row.requestHash !== hash) {
        throw new ProblemError(409, {
          code: 'idempotency_key_reused',
          field: IDEMPOTENCY_KEY_HEADER,
          message: 'This Idempotency-Key was used with a different request; use a new key.',
        });
      }
      if (row.responseStatus !== null && isStoredResponse(row.responseBody)) {
        return replay(row.responseStatus, row.responseBody);
      }
      const rowLeaseUntil = row.leaseUntil ?? new Date(row.createdAt.getTime() + leaseMs);
      if (row.responseStatus === null && rowLeaseUntil <= now) {
        if (await takeOver(row.id, hash, now, leaseUntil)) return run(row.id, leaseUntil);
        continue;
      }
      break;
    }
    // A live request usually ends within a second; the lease's end is only the crash case's bound.
    c.header('retry-after', String(IN_PROGRESS_RETRY_AFTER_S));
    return problemResponse(c, 409, {
      code: 'idempotency_key_in_progress',
      field: IDEMPOTENCY_KEY_HEADER,
      message: 'A request with this Idempotency-Key is still running; retry in a moment.',
    });
  });
}
