import { z } from 'zod';
import type { AnyPaymentProvider } from '../payment-methods/provider-registry.js';

/** The header a test signs its webhooks with; any other value is refused. */
export const HOSTED_SECRET_HEADER = 'x-hosted-test-secret';
const SECRET = 'hosted-test-secret';

type HostedCheckout = { paymentId: string; status: 'open' | 'paid' | 'closed' | 'refunded' };

/**
 * A redirect provider for tests of what happens between our app and a hosted checkout (the Stripe
 * and Mollie plugins bring real ones): checkouts the payer finishes on the provider's page, webhooks
 * the test sends when it says a payer paid, cancelCheckout and refunds. It keeps what it was asked.
 */
export function createHostedTestProvider() {
  const checkouts = new Map<string, HostedCheckout>();
  const referenceByKey = new Map<string, string>();
  const cancelled: string[] = [];
  let counter = 0;
  let events = 0;

  const provider: AnyPaymentProvider = {
    id: 'hosted',
    displayName: 'Hosted Pay',
    currencies: 'all',
    credentialsSchema: z.strictObject({}),
    capabilities: { refunds: true, partialRefunds: false, statusFetch: false, cancelCheckout: true },
    async verifyCredentials() {
      return { ok: true, value: undefined };
    },
    async startCheckout({ idempotencyKey, paymentId }) {
      const reference = referenceByKey.get(idempotencyKey) ?? `hosted_${++counter}`;
      referenceByKey.set(idempotencyKey, reference);
      if (!checkouts.has(reference)) checkouts.set(reference, { paymentId, status: 'open' });
      return {
        kind: 'redirect',
        providerReference: reference,
        redirectUrl: `https://hosted.test/${reference}`,
      };
    },
    async parseWebhook({ rawBody, headers, now }) {
      if (headers[HOSTED_SECRET_HEADER] !== SECRET) {
        return { kind: 'rejected', error: { kind: 'invalid', message: 'Not signed' } };
      }
      const body = z.object({ id: z.string(), reference: z.string() }).parse(JSON.parse(rawBody));
      const checkout = checkouts.get(body.reference);
      if (!checkout) return { kind: 'ignored', reason: 'Not ours' };
      return {
        kind: 'events',
        events: [
          {
            status: 'complete',
            providerEventId: body.id,
            providerReference: body.reference,
            paymentId: checkout.paymentId,
            occurredAt: now,
          },
        ],
      };
    },
    async cancelCheckout({ providerReference }) {
      const checkout = checkouts.get(providerReference);
      if (!checkout) return { kind: 'failed', error: { kind: 'invalid', message: 'Unknown checkout' } };
      cancelled.push(providerReference);
      if (checkout.status === 'paid' || checkout.status === 'refunded') return { kind: 'already_paid' };
      checkout.status = 'closed';
      return { kind: 'cancelled' };
    },
    async refund({ providerReference }) {
      const checkout = checkouts.get(providerReference);
      if (checkout?.status !== 'paid') {
        return { kind: 'failed', error: { kind: 'invalid', message: 'Not paid' } };
      }
      checkout.status = 'refunded';
      return { kind: 'refunded', providerRefundReference: `${providerReference}_refund` };
    },
  };

  return {
    provider,
    /** References cancelCheckout was called with, in order. */
    cancelled,
    status: (reference: string) => checkouts.get(reference)?.status,
    /** The payer pays on the hosted page; returns the webhook the provider then sends. */
    pay(reference: string) {
      const checkout = checkouts.get(reference);
      if (!checkout || checkout.status === 'closed') throw new Error(`checkout ${reference} cannot be paid`);
      checkout.status = 'paid';
      return {
        body: JSON.stringify({ id: `evt_hosted_${++events}`, reference }),
        headers: { 'content-type': 'application/json', [HOSTED_SECRET_HEADER]: SECRET },
      };
    },
  };
}
