import type Stripe from 'stripe';
import type { SessionState } from './stripe-status.js';

const sessionStatuses = ['open', 'complete', 'expired'] as const;
const paymentStatuses = ['paid', 'unpaid', 'no_payment_required'] as const;

const oneOf = <T extends string>(values: readonly T[], value: unknown): value is T =>
  (values as readonly unknown[]).includes(value);

/**
 * A fetched session (payment intent and its latest charge expanded) as the closed state our mapping
 * switches over; undefined for a status this API version does not know yet, so it is never guessed.
 */
export function readSessionState(session: Stripe.Checkout.Session): SessionState | undefined {
  if (!oneOf(sessionStatuses, session.status) || !oneOf(paymentStatuses, session.payment_status)) {
    return undefined;
  }
  const intent = typeof session.payment_intent === 'object' ? session.payment_intent : null;
  const charge = intent && typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
  return {
    status: session.status,
    paymentStatus: session.payment_status,
    ...(intent ? { intentStatus: intent.status } : {}),
    refunded: charge?.refunded === true,
  };
}
