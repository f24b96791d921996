import type { WebhookPaymentEvent } from '@paylinks/core';
import {
  type PaylinksDb,
  type PaylinksTransaction,
  paymentLinks,
  payments,
  selectRows,
  webhookReceipts,
} from '@paylinks/db';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import type { PaymentMethodRow } from '../payment-methods/method-lookup.js';
import { closeSupersededCheckouts } from '../payments/close-superseded-checkouts.js';
import { applyProviderEvent, type ProviderEventResult } from './apply-provider-event.js';

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

/** This change paid a deal link that still has other checkouts open at the provider. */
function leftCheckoutsToClose(result: ProviderEventResult): boolean {
  if (result.kind !== 'applied') return false;
  return result.effects.checkoutsToClose || result.settled.some((t) => t.effects.checkoutsToClose);
}

/**
 * One provider event. Receipt states: `processed_at` null means stored but not applied yet (its
 * payment was unknown: outcome 'failed', or the process stopped before applying it), so a
 * redelivery takes it up again; a set `processed_at` means settled, and any redelivery is a no-op.
 * First, outside any transaction, one statement stores the receipt and finds the payment: a
 * redelivery of a settled event ends there. Then one transaction claims the receipt (its row lock
 * serialises concurrent copies: the losers wait for the winner's commit and then find it settled),
 * locks the link and the payment with the claim, and applies the event.
 */
export async function receiveWebhookEvent(
  deps: Pick<AppContext, 'db' | 'logger' | 'clock' | 'secretKey' | 'providers'>,
  method: PaymentMethodRow,
  event: WebhookPaymentEvent,
  now: Date,
): Promise<ReceiptOutcome> {
  const receipt = await storeReceipt(deps.db, method, event, now);
  if (receipt.settled) return 'duplicate';
  if (receipt.paymentId === null) {
    deps.logger.info('webhook event for an unknown payment, asking for a retry', {
      methodId: method.id,
      providerEventId: event.providerEventId,
    });
    await deps.db
      .update(webhookReceipts)
      .set({ outcome: 'failed' })
      .where(and(receiptKey(method, event), isNull(webhookReceipts.processedAt)));
    return 'retry';
  }
  const { outcome, paidDealLink } = await receiveInTransaction(deps, method, event, receipt.paymentId, now);
  // After the commit and outside any transaction: the link's other open checkouts are closed.
  if (paidDealLink)
    await closeSupersededCheckouts(deps, { workspaceId: method.workspaceId, linkId: paidDealLink });
  return outcome;
}

const receiptKey = (method: PaymentMethodRow, event: WebhookPaymentEvent) =>
  and(eq(webhookReceipts.methodId, method.id), eq(webhookReceipts.providerEventId, event.providerEventId));

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Inserts the receipt (or finds it) and, in the same statement, the payment the event is about,
 * only among this method's payments: by the provider's reference, else by our id when the provider
 * echoes it (the webhook can beat the checkout's own write of the reference). A receipt inserted
 * by a copy still in flight is not seen as settled here: the claim then decides.
 */
async function storeReceipt(
  db: PaylinksDb,
  method: PaymentMethodRow,
  event: WebhookPaymentEvent,
  now: Date,
): Promise<{ settled: boolean; paymentId: string | null }> {
  const ws = sql`${method.workspaceId}::uuid`;
  const methodId = sql`${method.id}::uuid`;
  const eventId = sql`${event.providerEventId}::text`;
  const ourId = event.paymentId && uuidPattern.test(event.paymentId) ? event.paymentId : null;
  const [row] = await selectRows<{ settled: boolean | null; payment_id: string | null }>(
    db,
    sql`with stored as (
          insert into webhook_receipts (workspace_id, method_id, provider_event_id, received_at)
          values (${ws}, ${methodId}, ${eventId}, ${now.toISOString()}::timestamptz)
          on conflict (method_id, provider_event_id) do nothing
          returning processed_at
        ),
        receipt as (
          select processed_at from stored
          union all
          select processed_at from webhook_receipts
          where method_id = ${methodId} and provider_event_id = ${eventId} and not exists (select 1 from stored)
        )
        select (select processed_at is not null from receipt limit 1) as settled,
          (select id::text from payments
            where workspace_id = ${ws} and method_id = ${methodId}
              and (provider_reference = ${event.providerReference}::text or id = ${ourId}::uuid)
            order by provider_reference is not distinct from ${event.providerReference}::text desc
            limit 1) as payment_id`,
  );
  return { settled: row?.settled === true, paymentId: row?.payment_id ?? null };
}

function receiveInTransaction(
  deps: Pick<AppContext, 'db' | 'logger' | 'providers'>,
  method: PaymentMethodRow,
  event: WebhookPaymentEvent,
  paymentId: string,
  now: Date,
): Promise<{ outcome: ReceiptOutcome; paidDealLink?: string }> {
  const provider = deps.providers.get(method.providerId);
  return deps.db.transaction(async (tx) => {
    const locked = await claimAndLock(tx, method, event, paymentId, now);
    // Another delivery of this event settled it while this one was on its way.
    if (!locked) return { outcome: 'duplicate' };
    const result = await applyProviderEvent(tx, deps.logger, {
      payment: locked.payment,
      locked,
      event,
      source: 'webhook',
      actor: method.providerId,
      providerEventId: event.providerEventId,
      ...(provider ? { providerName: provider.displayName } : {}),
      now,
    });
    const outcome = outcomeOf(result);
    // The claim wrote 'applied', settled; anything else is written over it before the commit.
    if (outcome !== 'applied') {
      await tx
        .update(webhookReceipts)
        .set({ outcome, processedAt: result.kind === 'not_found' ? null : now })
        .where(receiptKey(method, event));
    }
    if (result.kind === 'not_found') return { outcome: 'retry' };
    return {
      outcome: 'done',
      ...(leftCheckoutsToClose(result) ? { paidDealLink: locked.payment.linkId } : {}),
    };
  });
}

/**
 * Claims the receipt (settled as 'applied', in this transaction) and locks the link and then the
 * payment, in one statement; the claim's row lock comes first. Nothing when the event was settled.
 */
async function claimAndLock(
  tx: PaylinksTransaction,
  method: PaymentMethodRow,
  event: WebhookPaymentEvent,
  paymentId: string,
  now: Date,
) {
  const claimed = tx.$with('claimed').as(
    tx
      .update(webhookReceipts)
      .set({ outcome: 'applied', processedAt: now })
      .where(and(receiptKey(method, event), isNull(webhookReceipts.processedAt)))
      .returning({ id: webhookReceipts.id }),
  );
  const [row] = await tx
    .with(claimed)
    .select({ payment: payments, link: paymentLinks })
    .from(payments)
    .innerJoin(
      paymentLinks,
      and(eq(paymentLinks.workspaceId, payments.workspaceId), eq(paymentLinks.id, payments.linkId)),
    )
    .where(
      and(
        eq(payments.workspaceId, method.workspaceId),
        eq(payments.id, paymentId),
        sql`exists (select 1 from ${claimed})`,
      ),
    )
    .for('update', { of: [paymentLinks, payments] });
  return row;
}
