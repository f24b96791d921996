import { isSuccessful, type NormalisedPaymentEvent } from '@paylinks/core';
import type { PaylinksTransaction, payments } from '@paylinks/db';
import type { Logger } from '../logger.js';
import {
  type ApplyPaymentEventResult,
  applyPaymentEventInTransaction,
  applyToLockedPayment,
  type PaymentEventInput,
  type Subject,
} from '../payments/apply-payment-event.js';

export type PaymentRow = typeof payments.$inferSelect;

export type ProviderEventResult = ApplyPaymentEventResult | { kind: 'amount_mismatch' };

/**
 * A provider's statement (webhook or status fetch) applied to a payment inside the caller's
 * transaction. A success for another amount than we asked is never applied: the team must look.
 * `locked`: the caller already holds the link's and the payment's locks (a webhook's claim).
 */
export async function applyProviderEvent(
  tx: PaylinksTransaction,
  logger: Logger,
  input: {
    payment: PaymentRow;
    locked?: Subject;
    event: NormalisedPaymentEvent;
    source: 'webhook' | 'reconciliation';
    actor: string;
    providerEventId?: string;
    now: Date;
  },
): Promise<ProviderEventResult> {
  const { payment, event, now } = input;
  const amount = event.amount;
  if (
    amount &&
    isSuccessful(event.status) &&
    (amount.minor !== payment.amountMinor || amount.currency !== payment.currency)
  ) {
    logger.error('provider reported another amount', {
      workspaceId: payment.workspaceId,
      paymentId: payment.id,
      source: input.source,
    });
    return { kind: 'amount_mismatch' };
  }
  const change: PaymentEventInput = {
    workspaceId: payment.workspaceId,
    paymentId: payment.id,
    status: event.status,
    source: input.source,
    actor: input.actor,
    ...(input.providerEventId === undefined ? {} : { providerEventId: input.providerEventId }),
    payload: { providerReference: event.providerReference, occurredAt: event.occurredAt.toISOString() },
    now,
    // The webhook can beat the checkout's own write of the reference.
    checkoutReference: { providerReference: event.providerReference },
  };
  return input.locked
    ? applyToLockedPayment(tx, input.locked, change, logger)
    : applyPaymentEventInTransaction(tx, change, logger);
}
