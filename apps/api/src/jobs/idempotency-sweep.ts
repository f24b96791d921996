import { idempotencyKeys } from '@paylinks/db';
import { asc, inArray, lte } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { IDEMPOTENCY_KEY_TTL_MS } from '../http/idempotency.js';
import { defaultSweepBatches, deleteInBatches, type SweepBatches } from './batched-delete.js';
import { repeatEvery } from './repeat-every.js';

export const IDEMPOTENCY_SWEEP_INTERVAL_MS = 5 * 60_000;

export type IdempotencySweepOptions = SweepBatches;

const defaults = defaultSweepBatches;

type Deps = Pick<AppContext, 'db' | 'clock' | 'logger'>;

/**
 * Deletes keys past their 24 hours, oldest first, in bounded batches.
 */
export async function sweepExpiredIdempotencyKeys(
  deps: Deps,
  options: IdempotencySweepOptions = defaults,
): Promise<number> {
  const keys = idempotencyKeys;
  const cutoff = new Date(deps.clock.now().getTime() - IDEMPOTENCY_KEY_TTL_MS);
  return deleteInBatches(options, async (batchSize) => {
    const expired = deps.db
      .select({ id: keys.id })
      .from(keys)
      .where(lte(keys.createdAt, cutoff))
      .orderBy(asc(keys.createdAt))
      .limit(batchSize);
    const rows = await deps.db.delete(keys).where(inArray(keys.id, expired)).returning({ id: keys.id });
    return rows.length;
  });
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
