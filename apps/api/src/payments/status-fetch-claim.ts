import { type PaylinksExecutor, payments } from '@paylinks/db';
import { and, eq, isNull, lte, or, type SQL } from 'drizzle-orm';

/**
 * How often the provider may be asked about one payment. A return page polling every second, a
 * payer with three tabs and reconciliation together still make one provider call per window.
 */
export const statusFetchIntervalMs = 5_000;

/** True for payments nobody asked the provider about within the window ending at `now`. */
export function statusFetchDue(now: Date): SQL {
  const askedBefore = new Date(now.getTime() - statusFetchIntervalMs);
  return or(isNull(payments.statusFetchedAt), lte(payments.statusFetchedAt, askedBefore))!;
}

/**
 * Takes this window's provider call for a Processing payment. One conditional UPDATE, committed on
 * its own: of any number of callers, on any number of instances, only the one whose UPDATE matched
 * gets true and may ask the provider; the others answer from the stored status.
 */
export async function claimStatusFetch(
  db: PaylinksExecutor,
  payment: { workspaceId: string; id: string },
  now: Date,
): Promise<boolean> {
  const claimed = await db
    .update(payments)
    .set({ statusFetchedAt: now })
    .where(
      and(
        eq(payments.workspaceId, payment.workspaceId),
        eq(payments.id, payment.id),
        eq(payments.status, 'processing'),
        statusFetchDue(now),
      ),
    )
    .returning({ id: payments.id });
  return claimed.length > 0;
}
