import { toDecimalString } from '@paylinks/core';
import { type PaylinksExecutor, type PaylinksTransaction, payments, refunds } from '@paylinks/db';
import { and, asc, eq, lt, ne, sql } from 'drizzle-orm';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';
import type { Logger } from '../logger.js';
import { touchedAt } from '../sync/updated-at.js';
import { type ApplyPaymentEventResult, applyToLockedPayment } from './apply-payment-event.js';
import { appendPaymentEvent, type PaymentEventSource } from './payment-event-log.js';
import { type LockedLink, type LockedPayment, lockPaymentAndLink } from './payment-lock.js';

// The database side of a refund: the claim before the provider is called, and the record after.
// Each is one short transaction under the payment's lock (link first, then payment), never open
// while the provider is asked.

export type RefundRow = typeof refunds.$inferSelect;

export interface RefundAsk {
  workspaceId: string;
  userId: string;
  paymentId: string;
  /** Minor units; undefined: what is left. */
  amountMinor: bigint | undefined;
  reason: string | undefined;
  /** The request's Idempotency-Key: the same key finds the same refund. */
  requestKey: string | undefined;
  now: Date;
}

export const notRefundable = () =>
  new ProblemError(409, {
    code: 'transition_not_allowed',
    field: 'status',
    message: 'Only a Complete or Confirmed by team member payment can be refunded.',
  });

const tooMuch = (left: bigint, currency: string) =>
  new ProblemError(422, {
    code: 'refund_exceeds_remaining',
    field: 'amount',
    message: `The refund is more than what is left to refund: ${toDecimalString({ minor: left, currency })} ${currency}.`,
  });

/** What was refunded or is being refunded: every refund but the failed ones. */
export async function committedMinor(tx: PaylinksTransaction, payment: LockedPayment): Promise<bigint> {
  const [row] = await tx
    .select({ total: sql<string>`coalesce(sum(${refunds.amountMinor}), 0)::text` })
    .from(refunds)
    .where(
      and(
        eq(refunds.workspaceId, payment.workspaceId),
        eq(refunds.paymentId, payment.id),
        ne(refunds.status, 'failed'),
      ),
    );
  return BigInt(row?.total ?? '0');
}

async function byRequestKey(tx: PaylinksTransaction, ask: RefundAsk): Promise<RefundRow | undefined> {
  if (ask.requestKey === undefined) return undefined;
  const [row] = await tx
    .select()
    .from(refunds)
    .where(
      and(
        eq(refunds.workspaceId, ask.workspaceId),
        eq(refunds.paymentId, ask.paymentId),
        eq(refunds.requestKey, ask.requestKey),
      ),
    );
  return row;
}

/**
 * How long a claim belongs to the request that made it. Past it, that request has died between the
 * provider call and the record (or got no answer), and the next refund of the payment finishes it.
 */
export const REFUND_CLAIM_LEASE_MS = 60_000;

/** Claims whose request has died, to be finished with their own idempotency key before a new refund. */
export async function staleClaims(
  tx: PaylinksExecutor,
  workspaceId: string,
  paymentId: string,
  now: Date,
): Promise<RefundRow[]> {
  return tx
    .select()
    .from(refunds)
    .where(
      and(
        eq(refunds.workspaceId, workspaceId),
        eq(refunds.paymentId, paymentId),
        eq(refunds.status, 'claimed'),
        lt(refunds.updatedAt, new Date(now.getTime() - REFUND_CLAIM_LEASE_MS)),
      ),
    )
    .orderBy(asc(refunds.createdAt));
}

export type Claimed =
  /** A refund this request must take to the provider (new, or an earlier attempt's unfinished claim). */
  | { kind: 'claimed'; refund: RefundRow }
  /** The same request was answered before: nothing more to do. */
  | { kind: 'done'; refund: RefundRow };

/**
 * Reserves the money of a refund at the provider: checks what is left under the payment's lock and
 * inserts the refund as `claimed`, so a concurrent refund sees it as taken. `partial` says whether
 * the method refunds part of an amount.
 */
export async function claimRefund(
  tx: PaylinksTransaction,
  ask: RefundAsk,
  partial: boolean,
): Promise<Claimed> {
  const locked = await lockPaymentAndLink(tx, ask.workspaceId, ask.paymentId);
  if (!locked) throw notFound('id', 'payment');
  const earlier = await byRequestKey(tx, ask);
  if (earlier)
    return earlier.status === 'claimed'
      ? { kind: 'claimed', refund: earlier }
      : { kind: 'done', refund: earlier };
  const { payment } = locked;
  if (payment.status !== 'complete') throw notRefundable();
  const amountMinor = await checkedAmount(tx, payment, ask);
  if (!partial && amountMinor !== payment.amountMinor) {
    throw new ProblemError(422, {
      code: 'partial_refund_unsupported',
      field: 'amount',
      message: 'This payment method refunds only the whole amount, in one refund.',
    });
  }
  const refund = await insertRefund(tx, payment, ask, amountMinor, 'claimed');
  await touchPayment(tx, payment, 0n, ask.now);
  return { kind: 'claimed', refund };
}

async function checkedAmount(tx: PaylinksTransaction, payment: LockedPayment, ask: RefundAsk) {
  const left = payment.amountMinor - (await committedMinor(tx, payment));
  const amountMinor = ask.amountMinor ?? left;
  if (left <= 0n) throw notRefundable();
  if (amountMinor > left) throw tooMuch(left, payment.currency);
  return amountMinor;
}

async function insertRefund(
  tx: PaylinksTransaction,
  payment: LockedPayment,
  ask: RefundAsk,
  amountMinor: bigint,
  status: RefundRow['status'],
): Promise<RefundRow> {
  const [refund] = await tx
    .insert(refunds)
    .values({
      workspaceId: payment.workspaceId,
      paymentId: payment.id,
      amountMinor,
      currency: payment.currency,
      reason: ask.reason ?? null,
      status,
      requestKey: ask.requestKey ?? null,
      createdBy: ask.userId,
      createdAt: ask.now,
      updatedAt: ask.now,
    })
    .returning();
  return refund!;
}

/** Every refund changes the payment (its updated_at drives incremental sync), refunded money or not. */
export async function touchPayment(
  tx: PaylinksTransaction,
  payment: LockedPayment,
  addMinor: bigint,
  now: Date,
) {
  const [row] = await tx
    .update(payments)
    .set({
      refundedMinor: sql`${payments.refundedMinor} + ${String(addMinor)}::bigint`,
      updatedAt: touchedAt(payments.updatedAt, now),
    })
    .where(and(eq(payments.workspaceId, payment.workspaceId), eq(payments.id, payment.id)))
    .returning({ refundedMinor: payments.refundedMinor });
  return row!.refundedMinor;
}

/**
 * A payment the team confirmed by hand was paid outside any provider, so its refund is recorded, not
 * sent: one transaction for the refund, the payment's refunded amount and, when that is everything,
 * the change to Returned.
 */
export async function recordManualRefund(tx: PaylinksTransaction, ask: RefundAsk, logger: Logger) {
  const locked = await lockPaymentAndLink(tx, ask.workspaceId, ask.paymentId);
  if (!locked) throw notFound('id', 'payment');
  const earlier = await byRequestKey(tx, ask);
  if (earlier) return earlier;
  if (locked.payment.status !== 'confirmed_by_team_member') throw notRefundable();
  const amountMinor = await checkedAmount(tx, locked.payment, ask);
  const refund = await insertRefund(tx, locked.payment, ask, amountMinor, 'succeeded');
  await settle(tx, locked, refund, { providerRefundReference: null }, ask.userId, ask.now, logger);
  return refund;
}

export type ProviderAnswer =
  | { kind: 'refunded' | 'pending'; providerRefundReference: string }
  | { kind: 'failed'; code: string };

/**
 * What the provider answered, kept on the claimed refund. Money refunded or on its way counts in the
 * payment's refunded amount; the payment turns Returned (through applyPaymentEvent) when what was
 * refunded is all it was paid. A failed refund is kept, and frees its money for another try.
 */
export async function recordProviderAnswer(
  tx: PaylinksTransaction,
  claimed: RefundRow,
  answer: ProviderAnswer,
  now: Date,
  logger: Logger,
): Promise<RefundRow> {
  const locked = await lockPaymentAndLink(tx, claimed.workspaceId, claimed.paymentId);
  if (!locked) throw notFound('id', 'payment');
  const status = answer.kind === 'failed' ? 'failed' : answer.kind === 'pending' ? 'pending' : 'succeeded';
  const [refund] = await tx
    .update(refunds)
    .set({
      status,
      updatedAt: now,
      // A failed refund lets go of the request's key: trying the same request again is a new refund.
      ...(answer.kind === 'failed'
        ? { failureCode: answer.code, requestKey: null }
        : { providerRefundReference: answer.providerRefundReference }),
    })
    .where(
      and(
        eq(refunds.workspaceId, claimed.workspaceId),
        eq(refunds.id, claimed.id),
        eq(refunds.status, 'claimed'),
      ),
    )
    .returning();
  // Another request finishing the same claim recorded it first: its record stands.
  if (!refund) {
    const [recorded] = await tx
      .select()
      .from(refunds)
      .where(and(eq(refunds.workspaceId, claimed.workspaceId), eq(refunds.id, claimed.id)));
    return recorded!;
  }
  if (answer.kind === 'failed') {
    await touchPayment(tx, locked.payment, 0n, now);
    return refund;
  }
  await settle(
    tx,
    locked,
    refund,
    { providerRefundReference: answer.providerRefundReference, pending: answer.kind === 'pending' },
    claimed.createdBy,
    now,
    logger,
  );
  return refund;
}

/** A refund's row in its payment's timeline. */
export function appendRefundEvent(
  tx: PaylinksTransaction,
  payment: LockedPayment,
  refund: RefundRow,
  source: PaymentEventSource,
  actor: string,
  now: Date,
) {
  return appendPaymentEvent(tx, {
    workspaceId: payment.workspaceId,
    paymentId: payment.id,
    from: payment.status,
    to: null,
    origin: {
      source,
      actor,
      note: refund.reason ?? undefined,
      reference: refund.providerRefundReference ?? undefined,
      facts: { refundId: refund.id, amountMinor: String(refund.amountMinor), currency: refund.currency },
    },
    payload: { outcome: 'refund' },
    at: now,
  });
}

/** Counts a refund on its payment, writes it in the timeline, and returns the payment when it is all. */
async function settle(
  tx: PaylinksTransaction,
  locked: { payment: LockedPayment; link: LockedLink },
  refund: RefundRow,
  facts: { providerRefundReference: string | null; pending?: boolean },
  actor: string,
  now: Date,
  logger: Logger,
): Promise<void> {
  const { payment } = locked;
  const refundedMinor = await touchPayment(tx, payment, refund.amountMinor, now);
  await appendRefundEvent(
    tx,
    payment,
    { ...refund, providerRefundReference: facts.providerRefundReference },
    'team_member',
    actor,
    now,
  );
  // A pending refund is not money back yet: the provider's own event returns the payment.
  if (facts.pending || refundedMinor < payment.amountMinor) return;
  const applied: ApplyPaymentEventResult = await applyToLockedPayment(
    tx,
    locked,
    {
      workspaceId: payment.workspaceId,
      paymentId: payment.id,
      status: 'returned',
      source: 'team_member',
      actor,
      payload: facts.providerRefundReference
        ? { refundId: refund.id, providerRefundReference: facts.providerRefundReference }
        : { refundId: refund.id, refund: 'manual' },
      now,
    },
    logger,
  );
  // 'duplicate': the provider's own webhook about this refund got there first; the result is the same.
  if (applied.kind !== 'applied' && applied.kind !== 'duplicate') throw notRefundable();
}
