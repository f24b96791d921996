import type { PaymentStatus } from '@paylinks/core';

/**
 * What a Stripe webhook can tell us about a checkout we created, one name per meaning. The
 * completed event splits in two: card payments arrive paid, bank debits and vouchers arrive unpaid
 * and settle later with async_payment_succeeded or _failed. charge.refunded splits by whether the
 * charge is refunded in full; a refund's update by whether ours says it completes the payment's
 * refunds (`succeeded`) or it leaves money on it (`settled`: a part, or a refund that failed).
 */
export const stripeSignals = [
  'checkout.session.completed.paid',
  'checkout.session.completed.unpaid',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
  'payment_intent.payment_failed',
  'charge.refunded',
  'charge.refunded.partly',
  'charge.refund.updated.succeeded',
  'charge.refund.updated.settled',
] as const;
export type StripeSignal = (typeof stripeSignals)[number];

export function signalToPaymentStatus(signal: StripeSignal): PaymentStatus {
  switch (signal) {
    case 'checkout.session.completed.paid':
    case 'checkout.session.async_payment_succeeded':
      return 'complete';
    case 'checkout.session.completed.unpaid':
      return 'processing';
    // A declined card inside Checkout: the payer may still succeed in the same session (cancelled → complete).
    case 'payment_intent.payment_failed':
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired':
      return 'cancelled';
    case 'charge.refunded':
    case 'charge.refund.updated.succeeded':
      return 'returned';
    // A refund that leaves money on the payment (in part, or one that failed): it stays paid.
    case 'charge.refunded.partly':
    case 'charge.refund.updated.settled':
      return 'complete';
    default: {
      const unhandled: never = signal;
      throw new Error(`Unhandled Stripe signal ${String(unhandled)}`);
    }
  }
}

/** A Checkout Session as fetched, reduced to what decides its status. */
export type SessionState = {
  status: 'open' | 'complete' | 'expired';
  paymentStatus: 'paid' | 'unpaid' | 'no_payment_required';
  /** The payment intent's status, when the session has one. */
  intentStatus?: string;
  /** The charge behind it was refunded in full. */
  refunded: boolean;
};

export function sessionToPaymentStatus(state: SessionState): PaymentStatus {
  switch (state.status) {
    case 'open':
      return 'processing';
    case 'expired':
      return 'cancelled';
    case 'complete':
      return completedSessionStatus(state);
    default: {
      const unhandled: never = state.status;
      throw new Error(`Unhandled session status ${String(unhandled)}`);
    }
  }
}

function completedSessionStatus(state: SessionState): PaymentStatus {
  switch (state.paymentStatus) {
    case 'paid':
      return state.refunded ? 'returned' : 'complete';
    // The payer submitted a delayed method (SEPA debit…): processing until it settles, cancelled if it failed.
    case 'unpaid':
      return state.intentStatus === 'requires_payment_method' || state.intentStatus === 'canceled'
        ? 'cancelled'
        : 'processing';
    // We never create zero-amount sessions; nothing paid is not a success we could record.
    case 'no_payment_required':
      return 'processing';
    default: {
      const unhandled: never = state.paymentStatus;
      throw new Error(`Unhandled session payment status ${String(unhandled)}`);
    }
  }
}
