import { type PaylinksExecutor, payments } from '@paylinks/db';
import { and, eq } from 'drizzle-orm';
import { notFound } from '../http/not-found.js';
import type { PublicLink } from './public-link.js';

/** A payment made on this link; any other id (another link's, another workspace's) is 404. */
export async function findPaymentOnLink(db: PaylinksExecutor, link: PublicLink, paymentId: string) {
  const [row] = await db
    .select({
      id: payments.id,
      workspaceId: payments.workspaceId,
      contactId: payments.contactId,
      dealId: payments.dealId,
      status: payments.status,
      amountMinor: payments.amountMinor,
      currency: payments.currency,
      description: payments.description,
      providerReference: payments.providerReference,
      declinedAttempts: payments.declinedAttempts,
    })
    .from(payments)
    .where(
      and(
        eq(payments.workspaceId, link.workspaceId),
        eq(payments.linkId, link.id),
        eq(payments.id, paymentId),
      ),
    )
    .limit(1);
  if (!row) throw notFound('paymentId', 'payment');
  return row;
}

export type PublicPayment = Awaited<ReturnType<typeof findPaymentOnLink>>;
