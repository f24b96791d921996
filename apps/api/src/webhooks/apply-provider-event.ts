import { isSuccessful, type NormalisedPaymentEvent } from '@paylinks/core';
import { type PaylinksTransaction, payments } from '@paylinks/db';
import { and, eq, isNull } from 'drizzle-orm';
import type { Logger } from '../logger.js';
import {
  type ApplyPaymentEventResult,
  applyPaymentEventInTransaction,
} from '../payments/apply-payment-event.js';
import { lockPaymentAndLink } from '../payments/payment-lock.js';

export type PaymentRow = typeof payments.$inferSelect;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The payment a provider event is about, only among the payments of this method: by the provider's
 * reference, else by our id when the provider echoes it (the webhook can beat the checkout's own
 * write of the reference).
 */
export async function findEventPayment(
  tx: PaylinksTransaction,
  method: { workspaceId: string; id: string },
  event: Pick<NormalisedPaymentEvent, 'providerReference' | 'paymentId'>,
): Promise<PaymentRow | undefined> {
  const ofMethod = and(eq(payments.workspaceId, method.workspaceId), eq(payments.methodId, method.id));
  const [byReference] = await tx
    .select()
    .from(payments)
    .where(and(ofMethod, eq(payments.providerReference, event.providerReference)));
  if (byReference) return byReference;
  if (!event.paymentId || !uuidPattern.test(event.paymentId)) return undefined;
  const [byId] = await tx
    .select()
    .from(payments)
    .where(and(ofMethod, eq(payments.id, event.paymentId)));
  return byId;
}

export type ProviderEventResult = ApplyPaymentEventResult | { kind: 'amount_mismatch' };

/**
 * A provider's statement (webhook or status fetch) applied to a payment inside the caller's
 * transaction. A success for another amount than we asked is never applied: the team must look.
 */
export async function applyProviderEvent(
  tx: PaylinksTransaction,
  logger: Logger,
  input: {
    payment: PaymentRow;
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
  if (payment.providerReference === null) {
    // Locked in the one order (link, then payment) before the write, like every change to a payment.
    await lockPaymentAndLink(tx, payment.workspaceId, payment.id);
    await tx
      .update(payments)
      .set({ providerReference: event.providerReference })
      .where(
        and(
          eq(payments.workspaceId, payment.workspaceId),
          eq(payments.id, payment.id),
          isNull(payments.providerReference),
        ),
      );
  }
  return applyPaymentEventInTransaction(
    tx,
    {
      workspaceId: payment.workspaceId,
      paymentId: payment.id,
      status: event.status,
      source: input.source,
      actor: input.actor,
      ...(input.providerEventId === undefined ? {} : { providerEventId: input.providerEventId }),
      payload: { providerReference: event.providerReference, occurredAt: event.occurredAt.toISOString() },
      now,
    },
    logger,
  );
}
