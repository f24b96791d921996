import type { NormalisedPaymentEvent, SettledRefund } from '@paylinks/core';
import { type PaylinksTransaction, refunds } from '@paylinks/db';
import { and, eq, inArray, or } from 'drizzle-orm';
import type { Logger } from '../logger.js';
import type { PaymentEventSource } from './payment-event-log.js';
import { type LockedPayment, lockPaymentAndLink } from './payment-lock.js';
import { appendRefundEvent, committedMinor, type RefundRow, touchPayment } from './refund-ledger.js';

// What a provider's event says about a payment's refunds, recorded in the transaction that applies
// the event: refunds it settled, and money it gave back that our ledger does not hold yet.

export interface ProviderRefundReport {
  workspaceId: string;
  paymentId: string;
  event: Pick<NormalisedPaymentEvent, 'refundedAmount' | 'settledRefunds'>;
  source: PaymentEventSource;
  providerId: string;
  providerName: string;
  now: Date;
}

/** Who made a refund the provider reports and we did not: never a team member's id. */
export const providerActor = (providerId: string) => `provider:${providerId}`;

/**
 * Whether the event says anything our ledger may not hold, judged from the payment row the caller
 * already has, so a plain status event costs no statement. The refunded amount counts refunds
 * succeeded or pending; a claim is not in it yet, so an event about our own refund in flight is
 * looked at (and found accounted for) too.
 */
export function reportsRefunds(
  event: ProviderRefundReport['event'],
  payment: Pick<LockedPayment, 'refundedMinor'>,
): boolean {
  if ((event.settledRefunds?.length ?? 0) > 0) return true;
  return event.refundedAmount !== undefined && event.refundedAmount.minor > payment.refundedMinor;
}

/**
 * Settles the refunds the provider names, then records what it has refunded beyond every refund of
 * ours that did not fail (claimed ones included: our own refund's event can arrive before its
 * answer is recorded) as one succeeded refund made at the provider. Redelivered, it finds nothing
 * left to record. Runs under the payment's lock, which every refund write takes first.
 */
export async function recordProviderRefunds(
  tx: PaylinksTransaction,
  report: ProviderRefundReport,
  logger: Logger,
): Promise<void> {
  const locked = await lockPaymentAndLink(tx, report.workspaceId, report.paymentId);
  if (!locked) return;
  const { payment } = locked;
  let change = 0n;
  let touched = false;
  for (const settled of report.event.settledRefunds ?? []) {
    const delta = await settleRefund(tx, payment, settled, report);
    if (delta === undefined) continue;
    change += delta;
    touched = true;
  }
  const total = report.event.refundedAmount;
  let atProvider: RefundRow | undefined;
  if (total && total.currency !== payment.currency) {
    logger.error('provider reported refunds in another currency', {
      workspaceId: payment.workspaceId,
      paymentId: payment.id,
    });
  } else if (total) {
    const committed = await committedMinor(tx, payment);
    // Never more than was paid: some providers refund return costs on top, which is not ours to show.
    const missing = minBigint(total.minor, payment.amountMinor) - committed;
    if (missing > 0n) {
      atProvider = await insertProviderRefund(tx, payment, missing, report);
      change += missing;
      touched = true;
    }
  }
  if (!touched) return;
  await touchPayment(tx, payment, change, report.now);
  if (atProvider)
    await appendRefundEvent(tx, payment, atProvider, report.source, report.providerId, report.now);
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One refund's final word, on our row still waiting for it (pending, or claimed when the event
 * beat the record of refund()'s answer, which then finds it recorded). Returns what it changes in
 * the payment's refunded amount; undefined when no refund of ours waits for it.
 */
async function settleRefund(
  tx: PaylinksTransaction,
  payment: LockedPayment,
  settled: SettledRefund,
  report: ProviderRefundReport,
): Promise<bigint | undefined> {
  const ours = settled.refundId && uuidPattern.test(settled.refundId) ? settled.refundId : undefined;
  const [row] = await tx
    .select()
    .from(refunds)
    .where(
      and(
        eq(refunds.workspaceId, payment.workspaceId),
        eq(refunds.paymentId, payment.id),
        inArray(refunds.status, ['claimed', 'pending']),
        or(
          eq(refunds.providerRefundReference, settled.providerRefundReference),
          ours === undefined ? undefined : eq(refunds.id, ours),
        ),
      ),
    );
  if (!row) return undefined;
  const failed = settled.status === 'failed';
  const [updated] = await tx
    .update(refunds)
    .set({
      status: settled.status,
      providerRefundReference: settled.providerRefundReference,
      updatedAt: report.now,
      // As when refund() is refused: the money is free again, and so is the request's key.
      ...(failed ? { failureCode: 'failed_at_provider', requestKey: null } : {}),
    })
    .where(and(eq(refunds.workspaceId, payment.workspaceId), eq(refunds.id, row.id)))
    .returning();
  // A pending refund already counts in the refunded amount (and has its timeline row); a claim not yet.
  if (row.status === 'pending') return failed ? -row.amountMinor : 0n;
  if (failed) return 0n;
  await appendRefundEvent(tx, payment, updated!, 'team_member', row.createdBy, report.now);
  return row.amountMinor;
}

async function insertProviderRefund(
  tx: PaylinksTransaction,
  payment: LockedPayment,
  amountMinor: bigint,
  report: ProviderRefundReport,
): Promise<RefundRow> {
  const [row] = await tx
    .insert(refunds)
    .values({
      workspaceId: payment.workspaceId,
      paymentId: payment.id,
      amountMinor,
      currency: payment.currency,
      reason: `Refunded in ${report.providerName} dashboard`,
      status: 'succeeded',
      createdBy: providerActor(report.providerId),
      createdAt: report.now,
      updatedAt: report.now,
    })
    .returning();
  return row!;
}

const minBigint = (a: bigint, b: bigint) => (a < b ? a : b);
