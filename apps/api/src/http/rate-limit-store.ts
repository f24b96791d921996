import { type PaylinksDb, type PaylinksExecutor, rateLimitHits } from '@paylinks/db';
import { and, eq, sql } from 'drizzle-orm';

export interface RateLimitHit {
  /** What is counted, e.g. `pay:view:203.0.113.7`. Never a raw email or token: hash those. */
  bucket: string;
  /** Windows are fixed and aligned to multiples of this from the epoch, so every instance agrees. */
  windowMs: number;
  /** Hits allowed in one window; the next one is refused. */
  limit: number;
  now: Date;
}

export interface RateLimitVerdict {
  allowed: boolean;
  /** Hits in this window so far, this one included. */
  hits: number;
  /** Whole seconds until this window ends (at least 1); 0 when allowed. */
  retryAfterSeconds: number;
}

/** The fixed window `now` falls in. */
export function rateLimitWindow(windowMs: number, now: Date) {
  const startMs = now.getTime() - (now.getTime() % windowMs);
  return { start: new Date(startMs), end: new Date(startMs + windowMs) };
}

/**
 * Counts one hit in the database with a single upsert, so any number of instances (and concurrent
 * requests) share one exact count: two hits can never both read the same old value.
 */
export async function hitRateLimit(db: PaylinksExecutor, hit: RateLimitHit): Promise<RateLimitVerdict> {
  const { start, end } = rateLimitWindow(hit.windowMs, hit.now);
  // Every public request counts one hit: outside a transaction the statement is prepared once.
  const [row] = isDatabase(db)
    ? await preparedHit(db).execute({ bucket: hit.bucket, windowStart: start, expiresAt: end })
    : await buildHit(db, { bucket: hit.bucket, windowStart: start, expiresAt: end });
  const hits = row?.hits ?? 1;
  const allowed = hits <= hit.limit;
  const retryAfterSeconds = allowed ? 0 : Math.max(1, Math.ceil((end.getTime() - hit.now.getTime()) / 1000));
  return { allowed, hits, retryAfterSeconds };
}

type HitValues = { bucket: unknown; windowStart: unknown; expiresAt: unknown };

function buildHit(db: PaylinksExecutor, values: HitValues) {
  return db
    .insert(rateLimitHits)
    .values({
      bucket: values.bucket as string,
      windowStart: values.windowStart as Date,
      hits: 1,
      expiresAt: values.expiresAt as Date,
    })
    .onConflictDoUpdate({
      target: [rateLimitHits.bucket, rateLimitHits.windowStart],
      set: { hits: sql`${rateLimitHits.hits} + 1` },
    })
    .returning({ hits: rateLimitHits.hits });
}

const preparedHits = new WeakMap<PaylinksDb, ReturnType<ReturnType<typeof buildHit>['prepare']>>();

function preparedHit(db: PaylinksDb) {
  let prepared = preparedHits.get(db);
  if (!prepared) {
    prepared = buildHit(db, {
      bucket: sql.placeholder('bucket'),
      windowStart: sql.placeholder('windowStart'),
      expiresAt: sql.placeholder('expiresAt'),
    }).prepare('rate_limit_hit');
    preparedHits.set(db, prepared);
  }
  return prepared;
}

/** A transaction has `rollback`; the database itself does not. */
const isDatabase = (db: PaylinksExecutor): db is PaylinksDb => !('rollback' in db);

/**
 * Takes back one hit counted with the same bucket, window and `now` (a request that turned out not
 * to be what the bucket counts, e.g. a sign-in that succeeded). Never below zero.
 */
export async function undoRateLimitHit(
  db: PaylinksExecutor,
  hit: Pick<RateLimitHit, 'bucket' | 'windowMs' | 'now'>,
): Promise<void> {
  const { start } = rateLimitWindow(hit.windowMs, hit.now);
  await db
    .update(rateLimitHits)
    .set({ hits: sql`greatest(${rateLimitHits.hits} - 1, 0)` })
    .where(and(eq(rateLimitHits.bucket, hit.bucket), eq(rateLimitHits.windowStart, start)));
}
