import { type PaylinksTransaction, paymentLinks, payments } from '@paylinks/db';
import { and, eq } from 'drizzle-orm';

export type LockedPayment = typeof payments.$inferSelect;
export type LockedLink = typeof paymentLinks.$inferSelect;

/**
 * Locks a payment for a change in the one order every transaction follows: its link first, then
 * the payment. Two transactions touching one link and its payments therefore queue on the link
 * and can never deadlock. One round trip: PostgreSQL locks the rows of `FOR UPDATE OF a, b` in
 * that list's order, and rereads both at their latest committed version once locked. A payment's
 * link never changes, so joining them before the locks are held is safe.
 */
export async function lockPaymentAndLink(
  tx: PaylinksTransaction,
  workspaceId: string,
  paymentId: string,
): Promise<{ payment: LockedPayment; link: LockedLink } | undefined> {
  const [row] = await tx
    .select({ payment: payments, link: paymentLinks })
    .from(payments)
    .innerJoin(
      paymentLinks,
      and(eq(paymentLinks.workspaceId, payments.workspaceId), eq(paymentLinks.id, payments.linkId)),
    )
    .where(and(eq(payments.workspaceId, workspaceId), eq(payments.id, paymentId)))
    .for('update', { of: [paymentLinks, payments] });
  return row;
}

/** The first lock of any transaction that changes a link or its payments. */
export async function lockLink(
  tx: PaylinksTransaction,
  workspaceId: string,
  linkId: string,
): Promise<LockedLink | undefined> {
  const [link] = await tx
    .select()
    .from(paymentLinks)
    .where(and(eq(paymentLinks.workspaceId, workspaceId), eq(paymentLinks.id, linkId)))
    .for('update');
  return link;
}
