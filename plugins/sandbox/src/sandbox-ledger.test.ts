import { describe, expect, it } from 'vitest';
import { createSandboxLedger, type SandboxCheckout } from './sandbox-ledger.js';
import { createSandboxProvider } from './sandbox-provider.js';
import { SANDBOX_SIGNATURE_HEADER, signSandboxPayload } from './sandbox-signature.js';
import { createSandboxWebhookEvent } from './sandbox-webhook-event.js';

const at = new Date('2030-06-15T12:00:00Z');

function checkout(n: number, overrides: Partial<SandboxCheckout> = {}): SandboxCheckout {
  return {
    reference: `sbx_ref_${n}`,
    idempotencyKey: `pay_${n}`,
    paymentId: `pay_${n}`,
    amount: { minor: 1050n, currency: 'EUR' },
    description: 'Order',
    webhookUrl: 'https://app.test/api/webhooks/sandbox',
    status: 'open',
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

describe('sandbox ledger', () => {
  it('keeps at most maxCheckouts, forgetting the one changed longest ago', () => {
    const ledger = createSandboxLedger({ maxCheckouts: 3 });
    for (let n = 1; n <= 3; n++) ledger.save(checkout(n));
    // Checkout 1 changes again (a refund, a second card): now 2 is the one untouched longest.
    ledger.save(checkout(1, { status: 'paid' }));
    ledger.save(checkout(4));

    expect(ledger.list().map((c) => c.reference)).toEqual(['sbx_ref_3', 'sbx_ref_1', 'sbx_ref_4']);
    expect(ledger.byReference('sbx_ref_2')).toBeUndefined();
    expect(ledger.byIdempotencyKey('pay_2')).toBeUndefined();
    expect(ledger.byIdempotencyKey('pay_1')).toMatchObject({ status: 'paid' });
  });

  it('holds ten thousand checkouts by default and no more', () => {
    const ledger = createSandboxLedger();
    for (let n = 0; n < 10_050; n++) ledger.save(checkout(n));
    expect(ledger.list()).toHaveLength(10_000);
    expect(ledger.byReference('sbx_ref_49')).toBeUndefined();
    expect(ledger.byReference('sbx_ref_50')).toBeDefined();
  });

  it('still refuses a second checkout under a key it holds', () => {
    const ledger = createSandboxLedger({ maxCheckouts: 2 });
    ledger.save(checkout(1));
    expect(() => ledger.save(checkout(2, { idempotencyKey: 'pay_1' }))).toThrow(/already belongs/);
  });

  it('refuses a cap that is not a positive whole number', () => {
    expect(() => createSandboxLedger({ maxCheckouts: 0 })).toThrow(RangeError);
    expect(() => createSandboxLedger({ maxCheckouts: 1.5 })).toThrow(RangeError);
  });
});

describe('a sandbox whose ledger forgot a checkout', () => {
  it('still accepts that checkout’s webhooks, as after a restart', async () => {
    const ledger = createSandboxLedger({ maxCheckouts: 1 });
    const provider = createSandboxProvider({ ledger, now: () => at });
    const credentials = provider.credentialsSchema.parse({});
    const start = (n: number) =>
      provider.startCheckout({
        paymentId: `pay_${n}`,
        idempotencyKey: `pay_${n}`,
        amount: { minor: 1050n, currency: 'EUR' },
        description: 'Order',
        payerEmail: 'payer@example.test',
        returnUrl: 'https://app.test/pay/return',
        webhookUrl: 'https://app.test/api/webhooks/sandbox',
        credentials,
        fields: { cardNumber: '4242424242424242', expiry: '12/34', cvc: '987' },
      });
    const first = await start(1);
    await start(2);
    expect(first.kind).toBe('immediate');
    const reference = first.kind === 'immediate' ? first.providerReference : '';
    expect(ledger.byReference(reference)).toBeUndefined();

    const { body } = createSandboxWebhookEvent(checkout(1, { reference, status: 'paid' }), 'paid', at);
    const header = signSandboxPayload({ secret: credentials.webhookSecret, body, signedAt: at });
    const parsed = await provider.parseWebhook({
      rawBody: body,
      headers: { [SANDBOX_SIGNATURE_HEADER]: header },
      credentials,
      now: at,
    });
    expect(parsed).toMatchObject({
      kind: 'events',
      events: [{ status: 'complete', providerReference: reference, paymentId: 'pay_1' }],
    });
  });
});
