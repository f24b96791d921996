import { isSuccessful, type PaymentStatus } from '@paylinks/core';
import type { PaylinksTransaction } from '@paylinks/db';
import { paymentTypeOf } from '../payment-types/installed-payment-types.js';
import type { LockedLink } from './payment-lock.js';

export interface SideEffects {
  linkRemovedFromDeal: boolean;
  /** The stage the deal moved to, or null when it stayed where it was. */
  dealMovedToStageId: string | null;
  late: boolean;
  /** A second success on a deal link another payment had already paid: a double charge to refund. */
  duplicate: boolean;
  /**
   * The link just left its deal and other checkouts of it are still open at the provider: what
   * closeSupersededCheckouts closes (checked here, so a link paid by its only payer skips that).
   */
  checkoutsToClose: boolean;
}

export interface PaymentFacts {
  id: string;
  workspaceId: string;
  linkId: string;
  dealId: string | null;
  isDuplicate: boolean;
}

/**
 * The link's payment-type plugin (EDU: enroll, revoke), in this same transaction. A double charge
 * grants nothing more (it is refunded), and neither does its refund take away: callers skip those.
 */
export async function runTypeHooks(
  tx: PaylinksTransaction,
  payment: PaymentFacts,
  link: LockedLink,
  to: PaymentStatus,
  now: Date,
): Promise<void> {
  if (link.type === 'custom') return;
  const type = paymentTypeOf(link.type);
  if (!type) return;
  const facts = {
    workspaceId: payment.workspaceId,
    paymentId: payment.id,
    linkId: payment.linkId,
    contactId: link.contactId,
    status: to,
    at: now,
    typeData: (link.typeOption ?? {}) as Record<string, unknown>,
  };
  if (isSuccessful(to)) await type.onPaymentSucceeded?.(tx, facts);
  else if (to === 'returned') await type.onPaymentReturned?.(tx, facts);
}
