import type { PaymentStatus } from '@paylinks/core';
import { payments } from '@paylinks/db';

/** What the payment page's steps read of a payment. */
export const publicPaymentColumns = {
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
};

/** A payment of the link, as readPublicLink brings it along. */
export interface PublicPayment {
  id: string;
  workspaceId: string;
  contactId: string;
  dealId: string | null;
  status: PaymentStatus;
  amountMinor: bigint;
  currency: string;
  description: string;
  providerReference: string | null;
  declinedAttempts: number;
}
