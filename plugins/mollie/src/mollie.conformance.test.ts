import { describeProviderConformance } from '@paylinks/core/testing';
import { afterAll, beforeAll } from 'vitest';
import { mollieCredentialsSchema } from './mollie-credentials.js';
import { createMollieProvider } from './mollie-provider.js';
import { type MollieObservation, toPaymentStatus } from './mollie-status.js';
import { type MollieSimulator, startMollieSimulator } from './simulator/index.js';

const API_KEY = 'test_conformance0123456789abcdefghij';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
let simulator: MollieSimulator;

beforeAll(async () => {
  simulator = await startMollieSimulator({ apiKeys: [API_KEY] });
});
afterAll(() => simulator.stop());

// Mollie's webhooks carry only `id=tr_…` and no signature: "signing" one means moving the payment at
// the simulator and naming it, and a forged webhook is one naming a payment Mollie never made.
describeProviderConformance<{ apiKey: string }, undefined, MollieObservation>('mollie', {
  statusTable: {
    open: 'processing',
    pending: 'processing',
    authorized: 'processing',
    paid: 'complete',
    paid_refunded: 'returned',
    paid_charged_back: 'returned',
    failed: 'cancelled',
    canceled: 'cancelled',
    expired: 'cancelled',
  },
  mapStatus: toPaymentStatus,
  webhookAuthentication: 'refetch',
  // No signing time to check: every delivery is fetched again.
  webhookToleranceMs: 0,
  invalidCredentials: [
    {},
    { apiKey: 'sk_test_123' },
    { apiKey: 'test_short' },
    { apiKey: API_KEY, extra: 1 },
  ],
  setup() {
    return {
      provider: createMollieProvider({ apiEndpoint: simulator.apiEndpoint }),
      credentials: mollieCredentialsSchema.parse({ apiKey: API_KEY }),
      now: new Date(),
      payCheckout(reference) {
        simulator.setObservation(reference, 'paid');
      },
      // Mollie's decimal strings read literally: "10.50" EUR is 1050 cents, "1050" JPY is 1050 yen.
      refundsAt: (reference) =>
        simulator.payment(reference).refunds.map((refund) => ({
          minor: BigInt(refund.amount.value.replace('.', '')),
          currency: refund.amount.currency,
        })),
      signWebhook({ providerReference, status }) {
        simulator.setObservation(providerReference, status);
        return { rawBody: `id=${providerReference}`, headers: FORM };
      },
      signForeignWebhook({ status }) {
        return { rawBody: `id=${simulator.createForeignPayment(API_KEY, status)}`, headers: FORM };
      },
      tamper: (webhook) => ({
        ...webhook,
        rawBody: webhook.rawBody.replace(/id=tr_\w+/, 'id=tr_Forged1234'),
      }),
      unsign: (webhook) => ({ ...webhook, headers: {} }),
    };
  },
});
