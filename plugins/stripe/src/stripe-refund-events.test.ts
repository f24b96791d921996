import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStripeSimulator, SIMULATOR_SECRET_KEY, SIMULATOR_WEBHOOK_SECRET } from './simulator/index.js';
import { parseStripeApiUrl } from './stripe-client.js';
import { createStripeProvider } from './stripe-provider.js';
import { parseStripeWebhook } from './stripe-webhook.js';
import { signedWebhook } from './test-support/signal-webhooks.js';

// Stripe sends charge.refunded for every refund, partial ones too, and charge.refund.updated knows only
// its own refund's amount: neither may return a payment that still holds money. charge.refunded
// carries what the charge has refunded in total (dashboard refunds too); a refund's update its
// final word, for the app's pending refund.
const simulator = createStripeSimulator();
const now = new Date();
const credentials = { secretKey: 'sk_test_unused', webhookSecret: SIMULATOR_WEBHOOK_SECRET };
const metadata = { paymentId: 'pay_1' };

function parse(type: string, object: Record<string, unknown>) {
  const { rawBody, headers } = signedWebhook(simulator, SIMULATOR_WEBHOOK_SECRET, type, object, now);
  return parseStripeWebhook({ rawBody, headers, credentials, now });
}

const charge = (refunded: number) => ({
  id: 'ch_1',
  object: 'charge',
  payment_intent: 'pi_1',
  amount: 2550,
  amount_refunded: refunded,
  refunded: refunded === 2550,
  currency: 'eur',
  metadata,
});

const refund = (extra: Record<string, string>, status = 'succeeded') => ({
  id: 're_1',
  object: 'refund',
  payment_intent: 'pi_1',
  amount: 1000,
  currency: 'eur',
  status,
  metadata: { ...metadata, ...extra },
});

describe('Stripe refund events', () => {
  it('returns a payment only on a charge refunded in full, and reports the total refunded either way', () => {
    expect(parse('charge.refunded', charge(1000))).toMatchObject({
      kind: 'events',
      events: [{ status: 'complete', refundedAmount: { minor: 1000n, currency: 'EUR' } }],
    });
    expect(parse('charge.refunded', charge(2550))).toMatchObject({
      kind: 'events',
      events: [
        {
          status: 'returned',
          providerReference: 'pi_1',
          paymentId: 'pay_1',
          refundedAmount: { minor: 2550n, currency: 'EUR' },
        },
      ],
    });
  });

  it('returns a payment on a settled refund only when ours says it refunds the rest', () => {
    expect(parse('charge.refund.updated', refund({ refundId: 'ours_1' }))).toMatchObject({
      kind: 'events',
      events: [
        {
          status: 'complete',
          settledRefunds: [{ status: 'succeeded', providerRefundReference: 're_1', refundId: 'ours_1' }],
        },
      ],
    });
    expect(parse('refund.updated', refund({ refundsInFull: 'true' }))).toMatchObject({
      kind: 'events',
      events: [{ status: 'returned', settledRefunds: [{ status: 'succeeded' }] }],
    });
  });

  it('reports a refund that failed or was canceled as failed, and waits on one still pending', () => {
    for (const status of ['failed', 'canceled']) {
      expect(parse('charge.refund.updated', refund({ refundsInFull: 'true' }, status))).toMatchObject({
        kind: 'events',
        events: [
          { status: 'complete', settledRefunds: [{ status: 'failed', providerRefundReference: 're_1' }] },
        ],
      });
    }
    expect(parse('charge.refund.updated', refund({}, 'pending'))).toMatchObject({ kind: 'ignored' });
  });
});

describe('Stripe refunds in parts', () => {
  beforeAll(() => simulator.start());
  afterAll(() => simulator.close());

  it('marks only the refund that completes the payment as refunding it in full', async () => {
    const provider = createStripeProvider({ api: parseStripeApiUrl(simulator.url), maxNetworkRetries: 0 });
    const keys = { secretKey: SIMULATOR_SECRET_KEY, webhookSecret: SIMULATOR_WEBHOOK_SECRET };
    const started = await provider.startCheckout({
      paymentId: 'pay_parts',
      idempotencyKey: 'checkout-parts',
      amount: { minor: 2550n, currency: 'EUR' },
      description: 'Course',
      payerEmail: 'payer@example.test',
      returnUrl: 'https://paylinks.example/return',
      webhookUrl: 'https://paylinks.example/hook',
      credentials: keys,
    });
    if (started.kind === 'failed') throw new Error(started.error.message);
    simulator.store.pay(started.providerReference);
    const refundAtStripe = provider.refund;
    if (!refundAtStripe) throw new Error('the Stripe provider refunds');
    const refund = (minor: bigint, idempotencyKey: string) =>
      refundAtStripe({
        providerReference: started.providerReference,
        amount: { minor, currency: 'EUR' },
        idempotencyKey,
        credentials: keys,
      });
    expect(await refund(1000n, 'part-1')).toMatchObject({ kind: 'refunded' });
    expect(await refund(1550n, 'part-2')).toMatchObject({ kind: 'refunded' });
    expect([...simulator.store.refunds.values()].map((r) => [r.amount, r.metadata])).toEqual([
      [1000, { paymentId: 'pay_parts' }],
      [1550, { paymentId: 'pay_parts', refundsInFull: 'true' }],
    ]);
    expect(await refund(0n, 'nothing')).toMatchObject({ kind: 'failed' });
    const fetched = await provider.fetchStatus?.({
      providerReference: started.providerReference,
      credentials: keys,
    });
    expect(fetched).toMatchObject({
      ok: true,
      value: { status: 'returned', refundedAmount: { minor: 2550n, currency: 'EUR' } },
    });
  });
});
