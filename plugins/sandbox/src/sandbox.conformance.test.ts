import { randomUUID } from 'node:crypto';
import { type ConformanceWebhook, describeProviderConformance } from '@paylinks/core/testing';
import type { SandboxCheckout } from './sandbox-ledger.js';
import { createSandboxLedger } from './sandbox-ledger.js';
import { createSandboxProvider } from './sandbox-provider.js';
import {
  DEFAULT_WEBHOOK_TOLERANCE_MS,
  SANDBOX_SIGNATURE_HEADER,
  signSandboxPayload,
} from './sandbox-signature.js';
import { type SandboxStatus, toPaymentStatus } from './sandbox-status.js';
import { createSandboxWebhookEvent } from './sandbox-webhook-event.js';

const now = new Date('2030-06-15T12:00:00Z');

describeProviderConformance('sandbox', {
  statusTable: {
    open: 'processing',
    failed: 'cancelled',
    paid: 'complete',
    refunded: 'returned',
    closed: 'cancelled',
  },
  mapStatus: toPaymentStatus,
  webhookToleranceMs: DEFAULT_WEBHOOK_TOLERANCE_MS,
  invalidCredentials: [{ apiKey: 'sk_live_123' }, { webhookSecret: 'hunter2' }, { webhookSecret: 42 }],
  setup() {
    const ledger = createSandboxLedger();
    const provider = createSandboxProvider({ ledger, now: () => now });
    const credentials = provider.credentialsSchema.parse({});

    // Signs exactly what the sandbox's own sender would send for this checkout.
    const sign = (checkout: SandboxCheckout, status: SandboxStatus, signedAt: Date): ConformanceWebhook => {
      const { body } = createSandboxWebhookEvent(checkout, status, signedAt);
      const header = signSandboxPayload({ secret: credentials.webhookSecret, body, signedAt });
      return {
        rawBody: body,
        headers: { 'content-type': 'application/json', [SANDBOX_SIGNATURE_HEADER]: header },
      };
    };

    return {
      provider,
      credentials,
      now,
      checkoutFields: { cardNumber: '4242 4242 4242 4242', expiry: '12/34', cvc: '123' },
      refundsAt: (reference) => (ledger.byReference(reference)?.refunds ?? []).map((refund) => refund.amount),
      signWebhook({ providerReference, status, signedAt }) {
        const checkout = ledger.byReference(providerReference);
        if (!checkout) throw new Error(`The sandbox never created ${providerReference}`);
        return sign(checkout, status, signedAt);
      },
      signForeignWebhook({ status, signedAt }) {
        const stranger: SandboxCheckout = {
          reference: `sbx_${randomUUID()}`,
          idempotencyKey: randomUUID(),
          paymentId: randomUUID(),
          amount: { minor: 1050n, currency: 'EUR' },
          description: 'Someone else’s checkout',
          webhookUrl: 'https://elsewhere.test/hook',
          status,
          createdAt: signedAt,
          updatedAt: signedAt,
        };
        return sign(stranger, status, signedAt);
      },
      tamper: (webhook) => ({
        ...webhook,
        rawBody: webhook.rawBody.replace(/"amount":"(\d)/, '"amount":"9$1'),
      }),
      unsign: ({ rawBody, headers }) => ({
        rawBody,
        headers: Object.fromEntries(
          Object.entries(headers).filter(([name]) => name !== SANDBOX_SIGNATURE_HEADER),
        ),
      }),
    };
  },
});
