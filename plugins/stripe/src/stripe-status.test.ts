import { describe, expect, it } from 'vitest';
import { readSessionState } from './stripe-session-state.js';
import {
  type SessionState,
  sessionToPaymentStatus,
  signalToPaymentStatus,
  stripeSignals,
} from './stripe-status.js';

describe('signalToPaymentStatus', () => {
  it('maps every Stripe signal', () => {
    expect(Object.fromEntries(stripeSignals.map((s) => [s, signalToPaymentStatus(s)]))).toEqual({
      'checkout.session.completed.paid': 'complete',
      'checkout.session.completed.unpaid': 'processing',
      'checkout.session.async_payment_succeeded': 'complete',
      'checkout.session.async_payment_failed': 'cancelled',
      'checkout.session.expired': 'cancelled',
      'payment_intent.payment_failed': 'cancelled',
      'charge.refunded': 'returned',
      'charge.refunded.partly': 'complete',
      'charge.refund.updated.succeeded': 'returned',
      'charge.refund.updated.settled': 'complete',
    });
  });
});

describe('sessionToPaymentStatus', () => {
  const state = (over: Partial<SessionState>): SessionState => ({
    status: 'open',
    paymentStatus: 'unpaid',
    refunded: false,
    ...over,
  });
  it('maps a fetched session with its intent and charge', () => {
    expect(sessionToPaymentStatus(state({}))).toBe('processing');
    expect(sessionToPaymentStatus(state({ status: 'expired' }))).toBe('cancelled');
    expect(sessionToPaymentStatus(state({ status: 'complete', paymentStatus: 'paid' }))).toBe('complete');
    expect(sessionToPaymentStatus(state({ status: 'complete', paymentStatus: 'paid', refunded: true }))).toBe(
      'returned',
    );
    expect(sessionToPaymentStatus(state({ status: 'complete', intentStatus: 'processing' }))).toBe(
      'processing',
    );
    expect(
      sessionToPaymentStatus(state({ status: 'complete', intentStatus: 'requires_payment_method' })),
    ).toBe('cancelled');
    expect(sessionToPaymentStatus(state({ status: 'complete', paymentStatus: 'no_payment_required' }))).toBe(
      'processing',
    );
  });

  it('never guesses a status this API version does not know', () => {
    expect(readSessionState({ status: 'paused', payment_status: 'paid' } as never)).toBeUndefined();
    expect(
      readSessionState({ status: 'open', payment_status: 'unpaid', payment_intent: null } as never),
    ).toEqual({
      status: 'open',
      paymentStatus: 'unpaid',
      refunded: false,
    });
  });
});
