import { describeProviderConformance } from '@paylinks/core/testing';
import { afterAll } from 'vitest';
import {
  createStripeSimulator,
  parseFormBody,
  SIMULATOR_SECRET_KEY,
  SIMULATOR_WEBHOOK_SECRET,
} from './simulator/index.js';
import type { SimSession } from './simulator/simulator-objects.js';
import { parseStripeApiUrl } from './stripe-client.js';
import { createStripeProvider } from './stripe-provider.js';
import { signalToPaymentStatus } from './stripe-status.js';
import { DEFAULT_WEBHOOK_TOLERANCE_MS, STRIPE_SIGNATURE_HEADER } from './stripe-webhook.js';
import { signalWebhook } from './test-support/signal-webhooks.js';

const simulator = createStripeSimulator();
await simulator.start();
afterAll(() => simulator.close());

const credentials = { secretKey: SIMULATOR_SECRET_KEY, webhookSecret: SIMULATOR_WEBHOOK_SECRET };

describeProviderConformance('stripe', {
  statusTable: {
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
  },
  mapStatus: signalToPaymentStatus,
  webhookToleranceMs: DEFAULT_WEBHOOK_TOLERANCE_MS,
  invalidCredentials: [
    { secretKey: 'pk_test_0123456789abcdefghij', webhookSecret: SIMULATOR_WEBHOOK_SECRET },
    { secretKey: SIMULATOR_SECRET_KEY, webhookSecret: 'hunter2' },
    { secretKey: SIMULATOR_SECRET_KEY },
    { ...credentials, apiKey: 'extra' },
  ],
  setup() {
    const now = new Date();
    const provider = createStripeProvider({
      api: parseStripeApiUrl(simulator.url),
      now: () => now,
      maxNetworkRetries: 0,
    });
    const sessionOf = (reference: string): SimSession => {
      const session = simulator.store.sessions.get(reference);
      if (!session) throw new Error(`The simulator never created ${reference}`);
      return session;
    };
    return {
      provider,
      credentials,
      now,
      payCheckout: (reference) => {
        simulator.store.pay(sessionOf(reference).id);
      },
      refundsAt: (reference) => {
        const intent = sessionOf(reference).payment_intent;
        return [...simulator.store.refunds.values()]
          .filter((refund) => refund.payment_intent === intent)
          .map((refund) => ({ minor: BigInt(refund.amount), currency: refund.currency.toUpperCase() }));
      },
      signWebhook: ({ providerReference, status, signedAt }) =>
        signalWebhook(simulator, SIMULATOR_WEBHOOK_SECRET, sessionOf(providerReference), status, signedAt),
      signForeignWebhook({ status, signedAt }) {
        // A session another integration on the same account created: no metadata of ours.
        const stranger = simulator.store.createSession(
          parseFormBody(
            new URLSearchParams({
              mode: 'payment',
              'line_items[0][quantity]': '1',
              'line_items[0][price_data][currency]': 'eur',
              'line_items[0][price_data][unit_amount]': '1050',
              'line_items[0][price_data][product_data][name]': 'Someone else’s',
              success_url: 'https://elsewhere.test/done',
            }).toString(),
          ),
        );
        return signalWebhook(simulator, SIMULATOR_WEBHOOK_SECRET, stranger, status, signedAt, {});
      },
      tamper: (webhook) => ({
        ...webhook,
        rawBody: webhook.rawBody.replace('"livemode": false', '"livemode": true'),
      }),
      unsign: ({ rawBody, headers }) => ({
        rawBody,
        headers: Object.fromEntries(
          Object.entries(headers).filter(([name]) => name !== STRIPE_SIGNATURE_HEADER),
        ),
      }),
    };
  },
});
