import type { ProviderError, WebhookResult } from '@paylinks/core';

// Mollie payment ids: tr_ and a short alphanumeric token. Anything else in `id` is not a payment.
const PAYMENT_ID = /^tr_[A-Za-z0-9]{1,64}$/;

export type WebhookId =
  | { kind: 'payment'; id: string }
  | { kind: 'not-a-payment'; result: WebhookResult }
  | { kind: 'unreadable'; result: WebhookResult };

/**
 * A Mollie webhook is `id=tr_…`, form-encoded, unsigned and without Origin. Nothing in it can be
 * trusted but the id, and even the id only names what to fetch: the state comes from Mollie.
 */
export function readWebhookId(rawBody: string): WebhookId {
  const unreadable = (message: string): WebhookId => ({
    kind: 'unreadable',
    result: { kind: 'rejected', error: { kind: 'invalid', code: 'unreadable_webhook', message } },
  });
  // A form body of one short field; a large one is not from Mollie.
  if (rawBody.length === 0 || rawBody.length > 1024) return unreadable('Not a Mollie webhook body');
  const id = new URLSearchParams(rawBody).get('id');
  if (!id) return unreadable('The body carries no id');
  if (!PAYMENT_ID.test(id)) {
    // Orders, subscriptions and payment links post ids of their own kind; none is a checkout of ours.
    return { kind: 'not-a-payment', result: { kind: 'ignored', reason: 'Not a Mollie payment id' } };
  }
  return { kind: 'payment', id };
}

/** What a failed re-fetch means for the webhook: unknown ids change nothing, outages ask for a retry. */
export function refetchFailure(error: ProviderError): WebhookResult {
  if (error.code === 'mollie_404' || error.code === 'mollie_410') {
    return { kind: 'ignored', reason: 'Mollie knows no such payment for this key' };
  }
  // Any non-2xx makes Mollie deliver again later, which is what an outage or a revoked key needs.
  return { kind: 'rejected', error };
}
