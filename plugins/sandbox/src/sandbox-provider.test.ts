import type { StartCheckoutInput } from '@paylinks/core';
import { describe, expect, it } from 'vitest';
import type { SandboxCardFields } from './sandbox-cards.js';
import type { SandboxCredentials } from './sandbox-credentials.js';
import { createSandboxLedger } from './sandbox-ledger.js';
import { createSandboxProvider } from './sandbox-provider.js';
import { SANDBOX_SIGNATURE_HEADER, signSandboxPayload } from './sandbox-signature.js';
import { createSandboxWebhookSender, type WebhookRequest } from './sandbox-webhook-sender.js';
import { createManualTimers } from './test-support/manual-timers.js';

const start = new Date('2030-06-15T12:00:00Z');
const PAYS = '4242 4242 4242 4242';
const DECLINED = '4000 0000 0000 0002';
const NO_FUNDS = '4000-0000-0000-9995';

function setup() {
  const timers = createManualTimers(start);
  const ledger = createSandboxLedger();
  const delivered: WebhookRequest[] = [];
  const webhooks = createSandboxWebhookSender({
    now: timers.now,
    setTimer: timers.setTimer,
    deliver: async (request) => {
      delivered.push(request);
      return { status: 200 };
    },
  });
  const provider = createSandboxProvider({ ledger, now: timers.now, webhooks });
  const credentials = provider.credentialsSchema.parse({});
  let n = 0;
  const checkout = (
    cardNumber: string,
    overrides: Partial<StartCheckoutInput<SandboxCredentials, SandboxCardFields>> = {},
  ) => {
    n += 1;
    return provider.startCheckout({
      paymentId: `pay_${n}`,
      idempotencyKey: `pay_${n}`,
      amount: { minor: 1050n, currency: 'EUR' },
      description: 'Order 1',
      payerEmail: 'payer@example.test',
      returnUrl: 'https://app.test/pay/return',
      webhookUrl: 'https://app.test/api/webhooks/sandbox',
      credentials,
      fields: { cardNumber, expiry: '12/34', cvc: '987' },
      ...overrides,
    });
  };
  /** Lets the sender deliver, then parses what arrived the way the app would. */
  const receive = async () => {
    await timers.advance(0);
    const requests = delivered.splice(0);
    return Promise.all(
      requests.map((r) =>
        provider.parseWebhook({ rawBody: r.body, headers: r.headers, credentials, now: timers.now() }),
      ),
    );
  };
  return { provider, ledger, credentials, checkout, receive, delivered, timers };
}

describe('sandbox provider', () => {
  it('introduces itself as a test-mode method with refunds and status fetch', () => {
    const { provider } = setup();
    expect(provider.id).toBe('sandbox');
    expect(provider.displayName).toBe('Sandbox (test mode)');
    expect(provider.capabilities).toEqual({
      refunds: true,
      partialRefunds: true,
      statusFetch: true,
      cancelCheckout: true,
    });
    expect(provider.currencies).toEqual(expect.arrayContaining(['EUR', 'USD', 'GBP', 'JPY', 'KWD']));
  });

  describe('credentials', () => {
    it('needs none, and makes a webhook secret when the method is connected', () => {
      const { provider } = setup();
      const a = provider.credentialsSchema.parse({});
      const b = provider.credentialsSchema.parse({});
      expect(a.webhookSecret).toMatch(/^sbx_whsec_[A-Za-z0-9_-]{43}$/);
      expect(b.webhookSecret).not.toBe(a.webhookSecret);
      expect(provider.credentialsSchema.parse(a)).toEqual(a);
    });

    it.each([[{ apiKey: 'sk_live_1' }], [{ webhookSecret: 'hunter2' }], [{ webhookSecret: 42 }]])(
      'refuses %j',
      (input) => {
        const { provider } = setup();
        expect(provider.credentialsSchema.safeParse(input).success).toBe(false);
      },
    );
  });

  describe('checkout with test cards', () => {
    it('4242… pays at once and keeps only the last 4 and brand of the card', async () => {
      const { checkout, ledger, receive } = setup();
      const result = await checkout(PAYS);
      expect(result).toEqual({
        kind: 'immediate',
        providerReference: expect.stringMatching(/^sbx_/),
        status: 'complete',
      });
      const [stored] = ledger.list();
      expect(stored).toMatchObject({ status: 'paid', card: { last4: '4242', brand: 'visa' } });
      const [hook] = await receive();
      expect(hook).toEqual({
        kind: 'events',
        events: [
          {
            status: 'complete',
            providerEventId: expect.stringMatching(/^evt_/),
            providerReference: stored?.reference,
            paymentId: 'pay_1',
            amount: { minor: 1050n, currency: 'EUR' },
            occurredAt: start,
          },
        ],
      });
    });

    it.each([
      [DECLINED, 'card_declined'],
      [NO_FUNDS, 'insufficient_funds'],
    ])('%s is declined with %s, and the same checkout can then be paid', async (card, code) => {
      const { checkout, ledger, receive, provider, credentials } = setup();
      const declined = await checkout(card, { idempotencyKey: 'k', paymentId: 'p' });
      expect(declined).toEqual({
        kind: 'failed',
        error: { kind: 'declined', code, message: expect.any(String) },
      });
      expect((await receive()).map((r) => r.kind === 'events' && r.events[0]?.status)).toEqual(['cancelled']);
      const paid = await checkout(PAYS, { idempotencyKey: 'k', paymentId: 'p' });
      expect(paid).toMatchObject({ kind: 'immediate', status: 'complete' });
      expect(ledger.list()).toHaveLength(1);
      if (paid.kind === 'failed') throw new Error('expected the retry to pay');
      expect(
        await provider.fetchStatus?.({ providerReference: paid.providerReference, credentials }),
      ).toMatchObject({
        ok: true,
        value: { status: 'complete' },
      });
    });

    it.each([
      ['a real Visa number that passes Luhn', '4111 1111 1111 1111'],
      ['a real Mastercard number that passes Luhn', '5555555555554444'],
      ['a mistyped test card', '4242 4242 4242 4241'],
    ])('refuses %s and asks for a test card, recording nothing', async (_label, card) => {
      const { checkout, ledger, delivered, timers } = setup();
      const result = await checkout(card);
      expect(result).toEqual({
        kind: 'failed',
        error: {
          kind: 'invalid',
          code: 'not_a_test_card',
          message: expect.stringContaining('use a test card'),
        },
      });
      expect(JSON.stringify(result)).not.toContain(card.replace(/\D/g, '').slice(0, 12));
      await timers.advance(0);
      expect(ledger.list()).toEqual([]);
      expect(delivered).toEqual([]);
    });

    it('refuses missing or malformed card fields as invalid', async () => {
      const { checkout } = setup();
      expect(await checkout(PAYS, { fields: undefined })).toMatchObject({
        kind: 'failed',
        error: { kind: 'invalid', code: 'invalid_card_fields' },
      });
      expect(
        await checkout(PAYS, { fields: { cardNumber: PAYS, expiry: '01/20', cvc: '123' } }),
      ).toMatchObject({
        kind: 'failed',
        error: { kind: 'invalid', code: 'invalid_card_fields', message: 'This card has expired' },
      });
    });

    it('never stores or sends the card number or CVC', async () => {
      const { checkout, ledger, delivered, timers } = setup();
      await checkout(PAYS);
      await checkout(DECLINED);
      await timers.advance(0);
      const bigintSafe = (_key: string, value: unknown) =>
        typeof value === 'bigint' ? value.toString() : value;
      const everything = JSON.stringify({ ledger: ledger.list(), delivered }, bigintSafe);
      // The full numbers only: a 3-digit CVC could appear by chance inside any random id or signature.
      for (const secret of ['4242424242424242', '4000000000000002', '"cvc"', '"cardNumber"']) {
        expect(everything).not.toContain(secret);
      }
    });

    it('answers a repeated key with the same result and charges once', async () => {
      const { checkout, ledger, receive } = setup();
      const first = await checkout(PAYS, { idempotencyKey: 'k', paymentId: 'p' });
      const again = await checkout(DECLINED, { idempotencyKey: 'k', paymentId: 'p' });
      expect(again).toEqual(first);
      expect(ledger.list()).toHaveLength(1);
      expect(await receive()).toHaveLength(1);
    });

    it('refuses a key reused for another amount or payment', async () => {
      const { checkout } = setup();
      await checkout(PAYS, { idempotencyKey: 'k', paymentId: 'p' });
      for (const overrides of [{ amount: { minor: 1051n, currency: 'EUR' } }, { paymentId: 'other' }]) {
        expect(await checkout(PAYS, { idempotencyKey: 'k', paymentId: 'p', ...overrides })).toMatchObject({
          kind: 'failed',
          error: { kind: 'invalid', code: 'idempotency_key_reused' },
        });
      }
    });

    it('refuses zero and unknown currencies', async () => {
      const { checkout } = setup();
      expect(await checkout(PAYS, { amount: { minor: 0n, currency: 'EUR' } })).toMatchObject({
        error: { code: 'invalid_amount' },
      });
      expect(await checkout(PAYS, { amount: { minor: 1n, currency: 'XXY' } })).toMatchObject({
        error: { code: 'unsupported_currency' },
      });
    });
  });

  describe('closing a checkout', () => {
    it('closes a declined checkout so no card can pay it afterwards, and says so by webhook', async () => {
      const { checkout, ledger, receive, provider, credentials } = setup();
      await checkout(DECLINED, { idempotencyKey: 'k', paymentId: 'p' });
      await receive();
      const providerReference = ledger.list()[0]!.reference;
      expect(await provider.cancelCheckout?.({ providerReference, credentials })).toEqual({
        kind: 'cancelled',
      });
      expect(await provider.cancelCheckout?.({ providerReference, credentials })).toEqual({
        kind: 'cancelled',
      });
      expect((await receive()).map((r) => r.kind === 'events' && r.events[0]?.status)).toEqual(['cancelled']);
      expect(await checkout(PAYS, { idempotencyKey: 'k', paymentId: 'p' })).toMatchObject({
        kind: 'failed',
        error: { kind: 'invalid', code: 'checkout_closed' },
      });
      expect(ledger.list()[0]).toMatchObject({ status: 'closed' });
    });

    it('answers already_paid for a paid checkout and leaves it paid', async () => {
      const { checkout, ledger, provider, credentials } = setup();
      const paid = await checkout(PAYS);
      if (paid.kind === 'failed') throw new Error('expected a paid checkout');
      const input = { providerReference: paid.providerReference, credentials };
      expect(await provider.cancelCheckout?.(input)).toEqual({ kind: 'already_paid' });
      expect(ledger.list()[0]).toMatchObject({ status: 'paid' });
    });
  });

  describe('refunds', () => {
    it('refunds a paid checkout in full, once, and says so by webhook', async () => {
      const { checkout, provider, credentials, receive } = setup();
      const paid = await checkout(PAYS);
      if (paid.kind === 'failed') throw new Error('expected a paid checkout');
      await receive();
      const input = {
        providerReference: paid.providerReference,
        amount: { minor: 1050n, currency: 'EUR' },
        idempotencyKey: 'refund-1',
        credentials,
      };
      const refund = await provider.refund?.(input);
      expect(refund).toEqual({
        kind: 'refunded',
        providerRefundReference: expect.stringMatching(/^sbx_re_/),
      });
      expect(await provider.refund?.(input)).toEqual(refund);
      expect(await provider.refund?.({ ...input, idempotencyKey: 'refund-2' })).toMatchObject({
        kind: 'failed',
        error: { kind: 'invalid', code: 'already_refunded' },
      });
      const status = await provider.fetchStatus?.({ providerReference: paid.providerReference, credentials });
      expect(status).toMatchObject({ ok: true, value: { status: 'returned' } });
      const hooks = await receive();
      expect(hooks.map((h) => h.kind === 'events' && h.events[0]?.status)).toEqual(['returned']);
    });

    it('refunds in parts up to the amount, the checkout paid until the last part', async () => {
      const { checkout, provider, credentials, receive } = setup();
      const paid = await checkout(PAYS);
      if (paid.kind === 'failed') throw new Error('expected a paid checkout');
      await receive();
      const refund = (minor: bigint, idempotencyKey: string) =>
        provider.refund?.({
          providerReference: paid.providerReference,
          amount: { minor, currency: 'EUR' },
          idempotencyKey,
          credentials,
        });
      expect(await refund(300n, 'part-1')).toMatchObject({ kind: 'refunded' });
      expect(await refund(800n, 'too-much')).toMatchObject({
        kind: 'failed',
        error: { kind: 'invalid', code: 'amount_too_large' },
      });
      expect(await refund(400n, 'part-1')).toMatchObject({
        kind: 'failed',
        error: { code: 'idempotency_key_reused' },
      });
      const status = () => provider.fetchStatus?.({ providerReference: paid.providerReference, credentials });
      expect(await status()).toMatchObject({ ok: true, value: { status: 'complete' } });
      expect(await refund(750n, 'part-2')).toMatchObject({ kind: 'refunded' });
      expect(await status()).toMatchObject({ ok: true, value: { status: 'returned' } });
      const hooks = await receive();
      expect(hooks.map((h) => h.kind === 'events' && h.events[0]?.status)).toEqual(['complete', 'returned']);
    });

    it('refuses to refund an unpaid checkout or an unknown reference', async () => {
      const { checkout, provider, credentials, ledger } = setup();
      await checkout(DECLINED);
      const [declined] = ledger.list();
      if (!declined) throw new Error('expected a checkout');
      const refund = (providerReference: string, minor = 1050n) =>
        provider.refund?.({
          providerReference,
          amount: { minor, currency: 'EUR' },
          idempotencyKey: 'r',
          credentials,
        });
      expect(await refund(declined.reference)).toMatchObject({
        kind: 'failed',
        error: { kind: 'invalid', code: 'not_paid' },
      });
      expect(await refund('sbx_nope')).toMatchObject({
        kind: 'failed',
        error: { kind: 'invalid', code: 'unknown_reference' },
      });
    });
  });

  describe('parseWebhook', () => {
    /** A correctly signed body about a checkout that exists, so only the body's content is under test. */
    async function parseSigned(body: (reference: string) => string) {
      const { provider, credentials, checkout, ledger } = setup();
      await checkout(PAYS);
      const rawBody = body(ledger.list()[0]?.reference ?? '');
      const header = signSandboxPayload({
        secret: credentials.webhookSecret,
        body: rawBody,
        signedAt: start,
      });
      return provider.parseWebhook({
        rawBody,
        headers: { [SANDBOX_SIGNATURE_HEADER]: header },
        credentials,
        now: start,
      });
    }
    const event = (data: Record<string, unknown>, type = 'checkout.updated') =>
      JSON.stringify({
        id: 'evt_1',
        type,
        created: 1,
        data: { payment_id: 'p', status: 'paid', currency: 'EUR', ...data },
      });

    it('reads a well-formed event as the positive control for the cases below', async () => {
      expect(await parseSigned((reference) => event({ reference, amount: '10.50' }))).toMatchObject({
        kind: 'events',
        events: [
          { status: 'complete', amount: { minor: 1050n, currency: 'EUR' }, occurredAt: new Date(1000) },
        ],
      });
    });

    it('ignores other event types and checkouts it did not create', async () => {
      expect(
        await parseSigned((reference) => event({ reference, amount: '10.50' }, 'account.updated')),
      ).toMatchObject({
        kind: 'ignored',
      });
      expect(await parseSigned(() => event({ reference: 'sbx_other', amount: '10.50' }))).toMatchObject({
        kind: 'ignored',
      });
    });

    it.each([
      ['not JSON', () => 'not json'],
      ['an unknown status', (reference: string) => event({ reference, amount: '10.50', status: 'disputed' })],
      ['an amount not in the wire format', (reference: string) => event({ reference, amount: '10.5' })],
    ])('rejects an authentic body with %s', async (_label, body) => {
      expect(await parseSigned(body)).toMatchObject({
        kind: 'rejected',
        error: { code: 'unreadable_event' },
      });
    });

    it('rejects when the stored credentials carry no secret', async () => {
      const { provider } = setup();
      const result = await provider.parseWebhook({
        rawBody: '{}',
        headers: {},
        credentials: {} as SandboxCredentials,
        now: start,
      });
      expect(result).toMatchObject({ kind: 'rejected', error: { kind: 'config' } });
    });
  });

  it('fails fetchStatus for an unknown reference', async () => {
    const { provider, credentials } = setup();
    expect(await provider.fetchStatus?.({ providerReference: 'sbx_nope', credentials })).toMatchObject({
      ok: false,
      error: { kind: 'invalid', code: 'unknown_reference' },
    });
  });
});
