import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { err, ok } from './domain-error.js';
import {
  type CheckoutResult,
  chargesExactly,
  type PaymentProvider,
  type PaymentProviderFactory,
  supportsCurrency,
  type WebhookResult,
} from './payment-provider.js';

const credentialsSchema = z.object({ apiKey: z.string().startsWith('sk_') });
type Credentials = z.infer<typeof credentialsSchema>;

// A minimal provider written the way a plugin would: a factory returning a plain object.
const createExampleProvider: PaymentProviderFactory<{ host: string }, Credentials> = ({ host }) => ({
  id: 'example',
  displayName: 'Example',
  currencies: ['EUR', 'USD'],
  credentialsSchema,
  capabilities: { refunds: false, partialRefunds: false, statusFetch: false, cancelCheckout: false },
  async verifyCredentials(credentials) {
    return credentials.apiKey === 'sk_good' ? ok() : err({ kind: 'config', message: 'Key refused' });
  },
  async startCheckout(input) {
    return {
      kind: 'redirect',
      providerReference: `ex_${input.paymentId}`,
      redirectUrl: `${host}/pay/${input.idempotencyKey}`,
    };
  },
  async parseWebhook({ rawBody, now }) {
    if (rawBody === '') return { kind: 'rejected', error: { kind: 'invalid', message: 'Empty body' } };
    return {
      kind: 'events',
      events: [{ status: 'complete', providerEventId: 'evt_1', providerReference: rawBody, occurredAt: now }],
    };
  },
});

const provider = createExampleProvider({ host: 'https://example.test' });
const credentials = { apiKey: 'sk_good' };

describe('payment provider contract', () => {
  it('a factory-made provider fits a heterogeneous provider list', () => {
    const list: PaymentProvider[] = [provider];
    expect(list.map((p) => p.id)).toEqual(['example']);
    expectTypeOf(provider.startCheckout).returns.resolves.toEqualTypeOf<CheckoutResult>();
    expectTypeOf(provider.parseWebhook).returns.resolves.toEqualTypeOf<WebhookResult>();
  });

  it('validates credentials through the declared zod schema', () => {
    expect(provider.credentialsSchema.safeParse(credentials).success).toBe(true);
    expect(provider.credentialsSchema.safeParse({ apiKey: 'pk_x' }).success).toBe(false);
  });

  it('returns typed results rather than throwing', async () => {
    expect(await provider.verifyCredentials({ apiKey: 'sk_bad' })).toEqual({
      ok: false,
      error: { kind: 'config', message: 'Key refused' },
    });
    const checkout = await provider.startCheckout({
      paymentId: 'p1',
      idempotencyKey: 'k1',
      amount: { minor: 1050n, currency: 'EUR' },
      description: 'Order',
      payerEmail: 'a@example.test',
      returnUrl: 'https://app.test/return',
      webhookUrl: 'https://app.test/hook',
      credentials,
    });
    expect(checkout).toEqual({
      kind: 'redirect',
      providerReference: 'ex_p1',
      redirectUrl: 'https://example.test/pay/k1',
    });
    const now = new Date('2025-01-01T00:00:00Z');
    const hook = await provider.parseWebhook({ rawBody: '', headers: {}, credentials, now });
    expect(hook.kind).toBe('rejected');
  });

  it('rejects webhook events without an event id at compile time', () => {
    const bad: WebhookResult = {
      kind: 'events',
      // @ts-expect-error providerEventId is the deduplication key and is required
      events: [{ status: 'complete', providerReference: 'x', occurredAt: new Date(0) }],
    };
    expect(bad.kind).toBe('events');
  });
});

describe('supportsCurrency', () => {
  it('checks the declared list, or accepts any when the provider says all', () => {
    expect(supportsCurrency(provider, 'EUR')).toBe(true);
    expect(supportsCurrency(provider, 'JPY')).toBe(false);
    expect(supportsCurrency({ currencies: 'all' }, 'JPY')).toBe(true);
  });
});

describe('chargesExactly', () => {
  const stepped = { currencies: ['KWD', 'EUR'], amountStep: (c: string) => (c === 'KWD' ? 10n : 1n) };
  it('refuses an amount off the provider’s step, and a currency it does not take', () => {
    expect(chargesExactly(stepped, { minor: 1250n, currency: 'KWD' })).toBe(true);
    expect(chargesExactly(stepped, { minor: 1255n, currency: 'KWD' })).toBe(false);
    expect(chargesExactly(stepped, { minor: 1255n, currency: 'EUR' })).toBe(true);
    expect(chargesExactly(stepped, { minor: 1250n, currency: 'JPY' })).toBe(false);
    expect(chargesExactly({ currencies: 'all' }, { minor: 1n, currency: 'KWD' })).toBe(true);
  });
});
