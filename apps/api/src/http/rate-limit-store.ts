import { type PaylinksExecutor, rateLimitHits } from '@paylinks/db';
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

function windowOf(windowMs: number, now: Date) {
  const startMs = now.getTime() - (now.getTime() % windowMs);
  return { start: new Date(startMs), end: new Date(startMs + windowMs) };
}

/**
 * Counts one hit in the database with a single upsert, so any number of instances (and concurrent
 * requests) share one exact count: two hits can never both read the same old value.
 */
export async function hitRateLimit(db: PaylinksExecutor, hit: RateLimitHit): Promise<RateLimitVerdict> {
  const { start, end } = windowOf(hit.windowMs, hit.now);
  const [row] = await db
    .insert(rateLimitHits)
    .values({ bucket: hit.bucket, windowStart: start, hits: 1, expiresAt: end })
    .onConflictDoUpdate({
      target: [rateLimitHits.bucket, rateLimitHits.windowStart],
      set: { hits: sql`${rateLimitHits.hits} + 1` },
    })
    .returning({ hits: rateLimitHits.hits });
  const hits = row?.hits ?? 1;
  const allowed = hits <= hit.limit;
  const retryAfterSeconds = allowed ? 0 : Math.max(1, Math.ceil((end.getTime() - hit.now.getTime()) / 1000));
  return { allowed, hits, retryAfterSeconds };
}

/**
 * Takes back one hit counted with the same bucket, window and `now` (a request that turned out not
 * to be what the bucket counts, e.g. a sign-in that succeeded). Never below zero.
 */
export async function undoRateLimitHit(
  db: PaylinksExecutor,
  hit: Pick<RateLimitHit, 'bucket' | 'windowMs' | 'now'>,
): Promise<void> {
  const { start } = windowOf(hit.windowMs, hit.now);
  await db
    .update(rateLimitHits)
    .set({ hits: sql`greatest(${rateLimitHits.hits} - 1, 0)` })
    .where(and(eq(rateLimitHits.bucket, hit.bucket), eq(rateLimitHits.windowStart, start)));
}
