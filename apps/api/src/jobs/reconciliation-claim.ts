import { type PaylinksExecutor, payments } from '@paylinks/db';
import { and, asc, eq, inArray, isNotNull, isNull, lt, lte, or } from 'drizzle-orm';
import { statusFetchDue } from '../payments/status-fetch-claim.js';

/**
 * How long a run owns the payments it claimed. It must outlast asking the provider about a whole
 * batch (50 payments at a couple of seconds each); after it, a run that crashed has let go and any
 * instance picks the payments up again.
 */
export const reconcileLeaseMs = 5 * 60_000;

export type ClaimedPayment = typeof payments.$inferSelect;

/**
 * Claims up to `limit` stale Processing payments for one run, in one statement committed on its own:
 * no lock outlives it, so nothing waits while the run talks to the provider. SKIP LOCKED passes over
 * payments a transaction is changing right now (a webhook), and the lease keeps other runs away
 * until this one is done or has died.
 */
export async function claimStalePayments(
  db: PaylinksExecutor,
  input: { now: Date; changedBefore: Date; limit: number; leaseUntil: Date },
): Promise<ClaimedPayment[]> {
  const { now } = input;
  const stale = db
    .select({ id: payments.id })
    .from(payments)
    .where(
      and(
        eq(payments.status, 'processing'),
        isNotNull(payments.providerReference),
        lt(payments.statusChangedAt, input.changedBefore),
        or(isNull(payments.reconcileLeaseUntil), lte(payments.reconcileLeaseUntil, now)),
        // A return page that just asked has the freshest answer there is.
        statusFetchDue(now),
      ),
    )
    .orderBy(asc(payments.statusChangedAt))
    .limit(input.limit)
    .for('update', { skipLocked: true });
  const claimed = await db
    .update(payments)
    .set({ reconcileLeaseUntil: input.leaseUntil, statusFetchedAt: now })
    .where(inArray(payments.id, stale))
    .returning();
  return claimed.sort((a, b) => a.statusChangedAt.getTime() - b.statusChangedAt.getTime());
}

/**
 * Gives the payment back once its answer is applied (or the provider gave none), so the next run may
 * ask again. Only this run's own lease: an expired one another run has since renewed stays.
 */
export async function releaseClaim(
  db: PaylinksExecutor,
  payment: { workspaceId: string; id: string },
  leaseUntil: Date,
): Promise<void> {
  await db
    .update(payments)
    .set({ reconcileLeaseUntil: null })
    .where(
      and(
        eq(payments.workspaceId, payment.workspaceId),
        eq(payments.id, payment.id),
        eq(payments.reconcileLeaseUntil, leaseUntil),
      ),
    );
}
