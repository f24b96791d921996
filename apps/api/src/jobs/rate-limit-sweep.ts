import { rateLimitHits } from '@paylinks/db';
import { asc, inArray, lte, sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { repeatEvery } from './repeat-every.js';

export const RATE_LIMIT_SWEEP_INTERVAL_MS = 60_000;

export interface RateLimitSweepOptions {
  /** Rows per DELETE: short statements that never hold many row locks at once. */
  batchSize: number;
  /** DELETEs per run at most; what is left waits for the next run. */
  maxBatches: number;
}

const defaults: RateLimitSweepOptions = { batchSize: 1000, maxBatches: 20 };

type Deps = Pick<AppContext, 'db' | 'clock' | 'logger'>;

/**
 * Deletes counters whose window has ended, oldest first, in bounded batches. A spray of addresses
 * leaves one row per address and window; without this the table would only grow. Several instances
 * may sweep at once: a row another sweep deleted first is simply not deleted twice.
 */
export async function sweepExpiredRateLimits(
  deps: Deps,
  options: RateLimitSweepOptions = defaults,
): Promise<number> {
  const t = rateLimitHits;
  const now = deps.clock.now();
  let deleted = 0;
  for (let batch = 0; batch < options.maxBatches; batch++) {
    const expired = deps.db
      .select({ bucket: t.bucket, windowStart: t.windowStart })
      .from(t)
      .where(lte(t.expiresAt, now))
      .orderBy(asc(t.expiresAt))
      .limit(options.batchSize);
    const rows = await deps.db
      .delete(t)
      .where(inArray(sql`(${t.bucket}, ${t.windowStart})`, expired))
      .returning({ bucket: t.bucket });
    deleted += rows.length;
    if (rows.length < options.batchSize) break;
  }
  return deleted;
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
