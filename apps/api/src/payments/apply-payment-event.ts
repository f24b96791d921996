import {
  type DomainError,
  applyPaymentEvent as decide,
  type PaymentStatus,
  settlePaymentEvents,
} from '@paylinks/core';
import { type PaylinksExecutor, type PaylinksTransaction, payments } from '@paylinks/db';
import { and, eq, isNull } from 'drizzle-orm';
import type { Logger } from '../logger.js';
import { touchedAt } from '../sync/updated-at.js';
import {
  appendPaymentEvent,
  type EventOrigin,
  loadPendingEvents,
  type PaymentEventSource,
} from './payment-event-log.js';
import { type LockedLink, type LockedPayment, lockPaymentAndLink } from './payment-lock.js';
import { runTypeHooks, type SideEffects } from './payment-side-effects.js';
import { type CheckoutReference, writeTransition } from './payment-transition.js';

export interface PaymentEventInput {
  workspaceId: string;
  paymentId: string;
  status: PaymentStatus;
  source: PaymentEventSource;
  /** Team member id for manual actions, provider id for webhooks. */
  actor?: string;
  providerEventId?: string;
  /** Kept with a team member's confirmation. */
  note?: string;
  reference?: string;
  /** Normalised facts for the audit trail; never card data, secrets or tokens. */
  payload?: Record<string, unknown>;
  now: Date;
  /** Kept on the payment if it has none yet, in the same statement as the change (checkout, webhook). */
  checkoutReference?: CheckoutReference;
}

export interface AppliedTransition {
  from: PaymentStatus;
  to: PaymentStatus;
  eventId: string;
  effects: SideEffects;
}

export type ApplyPaymentEventResult =
  | {
      kind: 'applied';
      from: PaymentStatus;
      to: PaymentStatus;
      effects: SideEffects;
      /** Waiting events this change let through, in the order they were applied. */
      settled: AppliedTransition[];
      status: PaymentStatus;
    }
  | { kind: 'duplicate'; status: PaymentStatus }
  | { kind: 'stale'; status: PaymentStatus; received: PaymentStatus }
  | { kind: 'refused'; status: PaymentStatus; received: PaymentStatus; error: DomainError }
  | { kind: 'pending'; status: PaymentStatus; received: PaymentStatus }
  | { kind: 'not_found' };

/**
 * The only code that changes a payment's status. Webhooks, redirect returns, reconciliation and
 * manual confirmation all come here, inside the caller's transaction: lock the link and then the
 * payment (payment-lock.ts), let core
 * decide, then write the status, the audit row and every side effect before the caller commits.
 */
export async function applyPaymentEventInTransaction(
  tx: PaylinksTransaction,
  input: PaymentEventInput,
  logger: Logger,
): Promise<ApplyPaymentEventResult> {
  const locked = await lockPaymentAndLink(tx, input.workspaceId, input.paymentId);
  if (!locked) return { kind: 'not_found' };
  return applyToLockedPayment(tx, locked, input, logger);
}

/**
 * applyPaymentEventInTransaction for a caller that has just locked the link and the payment itself,
 * in the one order and in this transaction (a webhook takes them with its receipt's claim).
 */
export async function applyToLockedPayment(
  tx: PaylinksTransaction,
  locked: Subject,
  input: PaymentEventInput,
  logger: Logger,
): Promise<ApplyPaymentEventResult> {
  const { workspaceId, paymentId, now } = input;
  const { payment, link } = locked;
  const subject: Subject = { payment: { ...payment }, link };
  const outcome = decide(payment.status, { status: input.status });
  if (outcome.kind !== 'applied' && input.checkoutReference && payment.providerReference === null) {
    await keepCheckoutReference(tx, payment, input.checkoutReference, now);
  }

  const origin: EventOrigin = {
    source: input.source,
    actor: input.actor,
    providerEventId: input.providerEventId,
    note: input.note,
    reference: input.reference,
    facts: input.payload,
  };
  const base = { workspaceId, paymentId, at: now };
  switch (outcome.kind) {
    case 'duplicate':
      // Redeliveries are normal (providers retry); the receipt or the caller answers them.
      return { kind: 'duplicate', status: outcome.status };
    case 'stale':
      await appendPaymentEvent(tx, {
        ...base,
        from: payment.status,
        to: null,
        origin,
        payload: { outcome: 'stale', received: input.status },
      });
      return { kind: 'stale', status: payment.status, received: input.status };
    case 'refused':
      logger.info('payment event refused', {
        workspaceId,
        paymentId,
        current: payment.status,
        received: input.status,
        source: input.source,
      });
      await appendPaymentEvent(tx, {
        ...base,
        from: payment.status,
        to: null,
        origin,
        payload: { outcome: 'refused', received: input.status, error: outcome.error.code },
      });
      return { kind: 'refused', status: payment.status, received: input.status, error: outcome.error };
    case 'pending':
      await appendPaymentEvent(tx, {
        ...base,
        from: payment.status,
        to: null,
        origin,
        payload: { outcome: 'pending', received: input.status },
      });
      return { kind: 'pending', status: payment.status, received: input.status };
    case 'applied': {
      const first = await transition(
        tx,
        subject,
        outcome.from,
        outcome.to,
        origin,
        now,
        undefined,
        input.checkoutReference,
      );
      const settled = first.hasPendingEvents ? await settleWaiting(tx, subject, outcome.to, now, logger) : [];
      const status = settled.at(-1)?.to ?? outcome.to;
      return { kind: 'applied', from: first.from, to: first.to, effects: first.effects, settled, status };
    }
    default: {
      const unhandled: never = outcome;
      throw new Error(`Unhandled outcome ${JSON.stringify(unhandled)}`);
    }
  }
}

/** The reference of a checkout whose event changed nothing (the change applies it otherwise). */
async function keepCheckoutReference(
  tx: PaylinksTransaction,
  payment: LockedPayment,
  reference: CheckoutReference,
  now: Date,
): Promise<void> {
  await tx
    .update(payments)
    .set({
      updatedAt: touchedAt(payments.updatedAt, now),
      providerReference: reference.providerReference,
      ...(reference.idempotencyKey === undefined ? {} : { idempotencyKey: reference.idempotencyKey }),
      ...(reference.payer ? { payerEmail: reference.payer.email, payerPhone: reference.payer.phone } : {}),
    })
    .where(
      and(
        eq(payments.workspaceId, payment.workspaceId),
        eq(payments.id, payment.id),
        isNull(payments.providerReference),
      ),
    );
}

/** Opens the transaction for callers that have none of their own. */
export function applyPaymentEvent(
  db: PaylinksExecutor,
  input: PaymentEventInput,
  logger: Logger,
): Promise<ApplyPaymentEventResult> {
  return db.transaction((tx) => applyPaymentEventInTransaction(tx, input, logger));
}

/** The locked payment and its link; the payment's deal is filled in when a success creates one. */
export type Subject = { payment: LockedPayment; link: LockedLink };

async function transition(
  tx: PaylinksTransaction,
  subject: Subject,
  from: PaymentStatus,
  to: PaymentStatus,
  origin: EventOrigin,
  now: Date,
  settles: string | undefined,
  checkoutReference?: CheckoutReference,
): Promise<AppliedTransition & { hasPendingEvents: boolean }> {
  const { payment, link } = subject;
  const written = await writeTransition(tx, {
    payment,
    link,
    from,
    to,
    origin,
    now,
    settles,
    checkoutReference,
  });
  const { effects } = written;
  // What the statement changed, for the next change in this transaction.
  if (written.newDealId !== null) payment.dealId = written.newDealId;
  if (effects.linkRemovedFromDeal) link.removedFromDealAt = now;
  if (checkoutReference && payment.providerReference === null) {
    payment.providerReference = checkoutReference.providerReference;
  }
  if (!effects.duplicate && !payment.isDuplicate) await runTypeHooks(tx, payment, link, to, now);
  return { from, to, eventId: written.eventId, effects, hasPendingEvents: written.hasPendingEvents };
}

/** After a change, early events may now apply (core's settlePaymentEvents decides which and in what order). */
async function settleWaiting(
  tx: PaylinksTransaction,
  subject: Subject,
  status: PaymentStatus,
  now: Date,
  logger: Logger,
): Promise<AppliedTransition[]> {
  const { payment } = subject;
  const waiting = await loadPendingEvents(tx, payment.workspaceId, payment.id);
  if (waiting.length === 0) return [];
  const settlement = settlePaymentEvents(status, waiting);
  const applied: AppliedTransition[] = [];
  for (const { event, outcome } of settlement.outcomes) {
    if (outcome.kind === 'applied') {
      const { hasPendingEvents: _, ...settled } = await transition(
        tx,
        subject,
        outcome.from,
        outcome.to,
        event.origin,
        now,
        event.id,
      );
      applied.push(settled);
      continue;
    }
    if (outcome.kind === 'refused') {
      logger.info('payment event refused', {
        workspaceId: payment.workspaceId,
        paymentId: payment.id,
        received: event.status,
        source: event.origin.source,
      });
    }
    await appendPaymentEvent(tx, {
      workspaceId: payment.workspaceId,
      paymentId: payment.id,
      at: now,
      // A waiting duplicate is settled too, so it stops being re-read after every change.
      from: outcome.kind === 'duplicate' ? outcome.status : outcome.current,
      to: null,
      origin: event.origin,
      payload: { outcome: outcome.kind, received: event.status, settles: event.id },
    });
  }
  return applied;
}
