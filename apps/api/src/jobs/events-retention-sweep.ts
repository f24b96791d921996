import { events } from '@paylinks/db';
import { asc, inArray, lt } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { EVENT_RETENTION_MS } from '../events/event-retention.js';
import { defaultSweepBatches, deleteInBatches, type SweepBatches } from './batched-delete.js';
import { repeatEvery } from './repeat-every.js';

export const EVENTS_RETENTION_SWEEP_INTERVAL_MS = 60 * 60_000;

type Deps = Pick<AppContext, 'db' | 'clock' | 'logger'>;

/** Deletes events past their 30 days, oldest first, in bounded batches (their deliveries cascade). */
export async function sweepOldEvents(
  deps: Deps,
  options: SweepBatches = defaultSweepBatches,
): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - EVENT_RETENTION_MS);
  return deleteInBatches(options, async (batchSize) => {
    const old = deps.db
      .select({ id: events.id })
      .from(events)
      .where(lt(events.createdAt, cutoff))
      .orderBy(asc(events.createdAt))
      .limit(batchSize);
    const rows = await deps.db.delete(events).where(inArray(events.id, old)).returning({ id: events.id });
    return rows.length;
  });
}

/** Runs the sweep every `intervalMs` until the returned stop function is called (and awaited). */
export function startEventsRetentionSweep(
  deps: Deps,
  intervalMs = EVENTS_RETENTION_SWEEP_INTERVAL_MS,
  options: SweepBatches = defaultSweepBatches,
): () => Promise<void> {
  return repeatEvery(
    { intervalMs, logger: deps.logger, failure: 'events retention sweep failed' },
    async () => {
      const deleted = await sweepOldEvents(deps, options);
      if (deleted > 0) deps.logger.info('events past retention deleted', { deleted });
    },
  );
}
