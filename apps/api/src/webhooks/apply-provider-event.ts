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
import { recordProviderRefunds, reportsRefunds } from '../payments/refund-provider-report.js';

export type PaymentRow = typeof payments.$inferSelect;

export type ProviderEventResult = ApplyPaymentEventResult | { kind: 'amount_mismatch' };

/**
 * A provider's statement (webhook or status fetch) applied to a payment inside the caller's
 * transaction, with what it says about refunds (refund-provider-report.ts). A success for another
 * amount than we asked is never applied: the team must look.
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
    /** The provider's display name, for the reason of a refund made in its dashboard. */
    providerName?: string;
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
  const result = await (input.locked
    ? applyToLockedPayment(tx, input.locked, change, logger)
    : applyPaymentEventInTransaction(tx, change, logger));
  // Only an event that says more about refunds than the payment shows costs statements here.
  if (result.kind !== 'not_found' && reportsRefunds(event, input.locked?.payment ?? payment)) {
    await recordProviderRefunds(
      tx,
      {
        workspaceId: payment.workspaceId,
        paymentId: payment.id,
        event,
        source: input.source,
        providerId: input.actor,
        providerName: input.providerName ?? input.actor,
        now,
      },
      logger,
    );
  }
  return result;
}
