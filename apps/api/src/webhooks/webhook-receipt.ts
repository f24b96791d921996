import type { WebhookPaymentEvent } from '@paylinks/core';
import { type PaylinksDb, webhookReceipts } from '@paylinks/db';
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import type { Logger } from '../logger.js';
import type { PaymentMethodRow } from '../payment-methods/method-lookup.js';
import { closeSupersededCheckouts } from '../payments/close-superseded-checkouts.js';
import { applyProviderEvent, findEventPayment, type ProviderEventResult } from './apply-provider-event.js';

/**
 * done: stored and settled (applied, ignored or refused), answer 2xx.
 * duplicate: this event was already settled by an earlier delivery; answer 2xx, change nothing.
 * retry: stored, but its payment is not known yet; answer 5xx so the provider delivers it again.
 */
export type ReceiptOutcome = 'done' | 'duplicate' | 'retry';

type Outcome = 'applied' | 'ignored' | 'refused' | 'failed';

function outcomeOf(result: ProviderEventResult): Outcome {
  switch (result.kind) {
    case 'applied':
    case 'pending': // kept in the payment's log; the next change settles it
      return 'applied';
    case 'duplicate':
    case 'stale':
      return 'ignored';
    case 'refused':
    case 'amount_mismatch':
      return 'refused';
    case 'not_found':
      return 'failed';
    default: {
      const unhandled: never = result;
      throw new Error(`Unhandled result ${JSON.stringify(unhandled)}`);
    }
  }
}

/** This change was the first success of a deal link (the link just left its deal). */
function paidTheDealLink(result: ProviderEventResult): boolean {
  if (result.kind !== 'applied') return false;
  return result.effects.linkRemovedFromDeal || result.settled.some((t) => t.effects.linkRemovedFromDeal);
}

/**
 * One provider event in one transaction. Receipt states: `processed_at` null means stored but not
 * applied yet (its payment was unknown: outcome 'failed'), so a redelivery takes it up again; a set
 * `processed_at` means settled, and any redelivery is a no-op. The receipt row lock serialises
 * concurrent copies of one event: the losers wait for the winner's commit and then see it settled.
 */
export async function receiveWebhookEvent(
  deps: Pick<AppContext, 'db' | 'logger' | 'clock' | 'secretKey' | 'providers'>,
  method: PaymentMethodRow,
  event: WebhookPaymentEvent,
  now: Date,
): Promise<ReceiptOutcome> {
  const { outcome, paidDealLink } = await receiveInTransaction(deps, method, event, now);
  // After the commit and outside any transaction: the link's other open checkouts are closed.
  if (paidDealLink)
    await closeSupersededCheckouts(deps, { workspaceId: method.workspaceId, linkId: paidDealLink });
  return outcome;
}

function receiveInTransaction(
  deps: { db: PaylinksDb; logger: Logger },
  method: PaymentMethodRow,
  event: WebhookPaymentEvent,
  now: Date,
): Promise<{ outcome: ReceiptOutcome; paidDealLink?: string }> {
  return deps.db.transaction(async (tx) => {
    const key = and(
      eq(webhookReceipts.methodId, method.id),
      eq(webhookReceipts.providerEventId, event.providerEventId),
    );
    const [inserted] = await tx
      .insert(webhookReceipts)
      .values({
        workspaceId: method.workspaceId,
        methodId: method.id,
        providerEventId: event.providerEventId,
        receivedAt: now,
      })
      .onConflictDoNothing({ target: [webhookReceipts.methodId, webhookReceipts.providerEventId] })
      .returning({ id: webhookReceipts.id });
    if (!inserted) {
      const [existing] = await tx
        .select({ processedAt: webhookReceipts.processedAt })
        .from(webhookReceipts)
        .where(key)
        .for('update');
      if (existing?.processedAt) return { outcome: 'duplicate' };
    }
    const settle = (outcome: Outcome, processed: boolean) =>
      tx
        .update(webhookReceipts)
        .set({ outcome, processedAt: processed ? now : null })
        .where(key);

    const payment = await findEventPayment(tx, method, event);
    if (!payment) {
      deps.logger.info('webhook event for an unknown payment, asking for a retry', {
        methodId: method.id,
        providerEventId: event.providerEventId,
      });
      await settle('failed', false);
      return { outcome: 'retry' };
    }
    const result = await applyProviderEvent(tx, deps.logger, {
      payment,
      event,
      source: 'webhook',
      actor: method.providerId,
      providerEventId: event.providerEventId,
      now,
    });
    const outcome = outcomeOf(result);
    await settle(outcome, result.kind !== 'not_found');
    if (result.kind === 'not_found') return { outcome: 'retry' };
    return { outcome: 'done', ...(paidTheDealLink(result) ? { paidDealLink: payment.linkId } : {}) };
  });
}
