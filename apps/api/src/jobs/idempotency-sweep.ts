import { idempotencyKeys } from '@paylinks/db';
import { asc, inArray, lte } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { IDEMPOTENCY_KEY_TTL_MS } from '../http/idempotency.js';
import { repeatEvery } from './repeat-every.js';

export const IDEMPOTENCY_SWEEP_INTERVAL_MS = 5 * 60_000;

export interface IdempotencySweepOptions {
  /** Rows per DELETE: short statements that never hold many row locks at once. */
  batchSize: number;
  /** DELETEs per run at most; what is left waits for the next run. */
  maxBatches: number;
}

const defaults: IdempotencySweepOptions = { batchSize: 1000, maxBatches: 20 };

type Deps = Pick<AppContext, 'db' | 'clock' | 'logger'>;

/**
 * Deletes keys past their 24 hours, oldest first, in bounded batches. Several instances may sweep
 * at once: a row another sweep deleted first is simply not deleted twice.
 */
export async function sweepExpiredIdempotencyKeys(
  deps: Deps,
  options: IdempotencySweepOptions = defaults,
): Promise<number> {
  const keys = idempotencyKeys;
  const cutoff = new Date(deps.clock.now().getTime() - IDEMPOTENCY_KEY_TTL_MS);
  let deleted = 0;
  for (let batch = 0; batch < options.maxBatches; batch++) {
    const expired = deps.db
      .select({ id: keys.id })
      .from(keys)
      .where(lte(keys.createdAt, cutoff))
      .orderBy(asc(keys.createdAt))
      .limit(options.batchSize);
    const rows = await deps.db.delete(keys).where(inArray(keys.id, expired)).returning({ id: keys.id });
    deleted += rows.length;
    if (rows.length < options.batchSize) break;
  }
  return deleted;
}

/** Runs the sweep every `intervalMs` until the returned stop function is called (and awaited). */
export function startIdempotencySweep(
  deps: Deps,
  intervalMs = IDEMPOTENCY_SWEEP_INTERVAL_MS,
  options: IdempotencySweepOptions = defaults,
): () => Promise<void> {
  return repeatEvery({ intervalMs, logger: deps.logger, failure: 'idempotency sweep failed' }, async () => {
    const deleted = await sweepExpiredIdempotencyKeys(deps, options);
    if (deleted > 0) deps.logger.info('idempotency keys expired', { deleted });
  });
}
