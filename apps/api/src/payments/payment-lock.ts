import { type PaylinksTransaction, paymentLinks, payments } from '@paylinks/db';
import { and, eq } from 'drizzle-orm';

export type LockedPayment = typeof payments.$inferSelect;
export type LockedLink = typeof paymentLinks.$inferSelect;

/**
 * Locks a payment for a change in the one order every transaction follows: its link first, then
 * the payment. Two transactions touching one link and its payments therefore queue on the link
 * and can never deadlock. A payment's link never changes, so reading it unlocked first is safe.
 */
export async function lockPaymentAndLink(
  tx: PaylinksTransaction,
  workspaceId: string,
  paymentId: string,
): Promise<{ payment: LockedPayment; link: LockedLink } | undefined> {
  const ofPayment = and(eq(payments.workspaceId, workspaceId), eq(payments.id, paymentId));
  const [ref] = await tx.select({ linkId: payments.linkId }).from(payments).where(ofPayment);
  if (!ref) return undefined;
  const link = await lockLink(tx, workspaceId, ref.linkId);
  const [payment] = await tx.select().from(payments).where(ofPayment).for('update');
  if (!link || !payment) return undefined;
  return { payment, link };
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
