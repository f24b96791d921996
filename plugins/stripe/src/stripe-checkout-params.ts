import type { StartCheckoutInput } from '@paylinks/core';
import type Stripe from 'stripe';
import type { StripeCredentials } from './stripe-credentials.js';
import { paylinksMetadata } from './stripe-metadata.js';
import type { StripeAmount } from './stripe-money.js';

/** Stripe's window for a Checkout Session's expires_at: 30 minutes to 24 hours from creation. */
export const MIN_SESSION_MS = 30 * 60 * 1000;
export const MAX_SESSION_MS = 24 * 60 * 60 * 1000;

export type SessionExpiry = { kind: 'default' } | { kind: 'at'; seconds: number } | { kind: 'too_soon' };

/**
 * The session never outlives the link. Only a link ending within Stripe's 24 hours sets expires_at,
 * and then to the link's own (fixed) expiry: a retried create must send the very same parameters, or
 * Stripe refuses the idempotency key, so nothing here may depend on the time of the call.
 */
export function sessionExpiry(linkExpiresAt: Date | undefined, now: Date): SessionExpiry {
  if (linkExpiresAt === undefined) return { kind: 'default' };
  const left = linkExpiresAt.getTime() - now.getTime();
  if (left >= MAX_SESSION_MS) return { kind: 'default' };
  // A minute of margin: Stripe measures the window from its own clock when the request lands.
  if (left < MIN_SESSION_MS + 60_000) return { kind: 'too_soon' };
  return { kind: 'at', seconds: Math.floor(linkExpiresAt.getTime() / 1000) };
}

export function checkoutSessionParams(
  input: StartCheckoutInput<StripeCredentials, undefined>,
  amount: StripeAmount,
  expiry: Exclude<SessionExpiry, { kind: 'too_soon' }>,
): Stripe.Checkout.SessionCreateParams {
  const metadata = paylinksMetadata(input);
  return {
    mode: 'payment',
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency: amount.currency,
          unit_amount: amount.amount,
          product_data: { name: input.description },
        },
      },
    ],
    customer_email: input.payerEmail,
    client_reference_id: input.paymentId,
    metadata,
    // Copied onto the intent (and so its charges), whose events do not name the session.
    payment_intent_data: { metadata, description: input.description },
    success_url: input.returnUrl,
    cancel_url: input.returnUrl,
    ...(expiry.kind === 'at' ? { expires_at: expiry.seconds } : {}),
  };
}
