import type { ConformanceWebhook } from '@paylinks/core/testing';
import Stripe from 'stripe';
import type { StripeSimulator } from '../simulator/index.js';
import { publicSession, type SimSession } from '../simulator/simulator-objects.js';
import type { StripeSignal } from '../stripe-status.js';

type Json = Record<string, unknown>;

/** The object a Stripe event carrying `signal` would be about, for a session the simulator holds. */
export function signalObject(
  session: SimSession,
  signal: StripeSignal,
  metadata?: Record<string, string>,
): Json {
  const meta = metadata ?? session.intentMetadata;
  const intent = session.payment_intent ?? `pi_for_${session.id}`;
  const money = { amount: session.amount_total, currency: session.currency };
  switch (signal) {
    case 'checkout.session.completed.paid':
    case 'checkout.session.async_payment_succeeded':
      return {
        ...publicSession(session),
        metadata: metadata ?? session.metadata,
        status: 'complete',
        payment_status: 'paid',
      };
    case 'checkout.session.completed.unpaid':
    case 'checkout.session.async_payment_failed':
      return {
        ...publicSession(session),
        metadata: metadata ?? session.metadata,
        status: 'complete',
        payment_status: 'unpaid',
      };
    case 'checkout.session.expired':
      return {
        ...publicSession(session),
        metadata: metadata ?? session.metadata,
        status: 'expired',
        url: null,
      };
    case 'payment_intent.payment_failed':
      return {
        id: intent,
        object: 'payment_intent',
        status: 'requires_payment_method',
        metadata: meta,
        ...money,
      };
    case 'charge.refunded':
      return {
        id: `ch_for_${session.id}`,
        object: 'charge',
        payment_intent: intent,
        refunded: true,
        amount_refunded: money.amount,
        metadata: meta,
        ...money,
      };
    case 'charge.refunded.partly':
      return {
        id: `ch_for_${session.id}`,
        object: 'charge',
        payment_intent: intent,
        refunded: false,
        amount_refunded: Math.floor(money.amount / 2),
        metadata: meta,
        ...money,
      };
    case 'charge.refund.updated.settled':
      return {
        id: `re_for_${session.id}`,
        object: 'refund',
        payment_intent: intent,
        status: 'failed',
        metadata: meta,
        ...money,
      };
    case 'charge.refund.updated.succeeded':
      return {
        id: `re_for_${session.id}`,
        object: 'refund',
        payment_intent: intent,
        status: 'succeeded',
        // A refund of the whole amount, as our refund() marks the one that completes a payment's refunds.
        metadata: { ...meta, refundsInFull: 'true' },
        ...money,
      };
    default: {
      const unhandled: never = signal;
      throw new Error(`Unhandled signal ${String(unhandled)}`);
    }
  }
}

const eventType = (signal: StripeSignal) =>
  signal
    .replace(/\.(paid|unpaid)$/, '')
    .replace(/^charge\.refunded\.partly$/, 'charge.refunded')
    .replace(/^charge\.refund\.updated\.(succeeded|settled)$/, 'charge.refund.updated');

/** A webhook as Stripe posts it: pretty-printed JSON, signed with the endpoint's secret at `signedAt`. */
export function signedWebhook(
  simulator: StripeSimulator,
  secret: string,
  type: string,
  object: Json,
  signedAt: Date,
): ConformanceWebhook {
  const rawBody = JSON.stringify(simulator.buildEvent(type, object), null, 2);
  const header = Stripe.webhooks.generateTestHeaderString({
    payload: rawBody,
    secret,
    timestamp: Math.floor(signedAt.getTime() / 1000),
  });
  return {
    rawBody,
    headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header },
  };
}

export function signalWebhook(
  simulator: StripeSimulator,
  secret: string,
  session: SimSession,
  signal: StripeSignal,
  signedAt: Date,
  metadata?: Record<string, string>,
): ConformanceWebhook {
  return signedWebhook(
    simulator,
    secret,
    eventType(signal),
    signalObject(session, signal, metadata),
    signedAt,
  );
}
