import { rateLimitHits } from '@paylinks/db';
import { asc, inArray, lte, sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { defaultSweepBatches, deleteInBatches, type SweepBatches } from './batched-delete.js';
import { repeatEvery } from './repeat-every.js';

export const RATE_LIMIT_SWEEP_INTERVAL_MS = 60_000;

export type RateLimitSweepOptions = SweepBatches;

const defaults = defaultSweepBatches;

type Deps = Pick<AppContext, 'db' | 'clock' | 'logger'>;

/**
 * Deletes counters whose window has ended, oldest first, in bounded batches. A spray of addresses
 * leaves one row per address and window; without this the table would only grow.
 */
export async function sweepExpiredRateLimits(
  deps: Deps,
  options: RateLimitSweepOptions = defaults,
): Promise<number> {
  const t = rateLimitHits;
  const now = deps.clock.now();
  return deleteInBatches(options, async (batchSize) => {
    const expired = deps.db
      .select({ bucket: t.bucket, windowStart: t.windowStart })
      .from(t)
      .where(lte(t.expiresAt, now))
      .orderBy(asc(t.expiresAt))
      .limit(batchSize);
    const rows = await deps.db
      .delete(t)
      .where(inArray(sql`(${t.bucket}, ${t.windowStart})`, expired))
      .returning({ bucket: t.bucket });
    return rows.length;
  });
}

/** Runs the sweep every `intervalMs` until the returned stop function is called (and awaited). */
export function startRateLimitSweep(
  deps: Deps,
  intervalMs = RATE_LIMIT_SWEEP_INTERVAL_MS,
  options: RateLimitSweepOptions = defaults,
): () => Promise<void> {
  return repeatEvery({ intervalMs, logger: deps.logger, failure: 'rate limit sweep failed' }, async () => {
    await sweepExpiredRateLimits(deps, options);
  });
}
