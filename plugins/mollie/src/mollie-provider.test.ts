import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMollieProvider } from './mollie-provider.js';
import { type MollieSimulator, startMollieSimulator } from './simulator/index.js';

const KEY = 'test_provider0123456789abcdefghijkl';
const OTHER_KEY = 'test_another0123456789abcdefghijklm';
let simulator: MollieSimulator;

beforeAll(async () => {
  simulator = await startMollieSimulator({ apiKeys: [KEY, OTHER_KEY] });
});
afterAll(() => simulator.stop());

const provider = () => createMollieProvider({ apiEndpoint: simulator.apiEndpoint });
const credentials = { apiKey: KEY };

async function checkout(currency: string, minor: bigint, idempotencyKey = `key-${Math.random()}`) {
  const result = await provider().startCheckout({
    paymentId: 'pay_123',
    idempotencyKey,
    amount: { minor, currency },
    description: 'Course fee',
    payerEmail: 'payer@example.test',
    returnUrl: 'https://paylinks.example/pay/tok/return?payment=pay_123',
    webhookUrl: 'https://paylinks.example/api/webhooks/m1',
    credentials,
  });
  if (result.kind !== 'redirect') throw new Error(`expected a redirect, got ${JSON.stringify(result)}`);
  return result;
}

describe('Mollie provider against the simulator', () => {
  it('sends EUR and JPY in Mollie’s decimals, with the return and webhook URLs and our payment id', async () => {
    const eur = await checkout('EUR', 1050n, 'money-eur');
    const jpy = await checkout('JPY', 1000n, 'money-jpy');
    const created = simulator.requests.filter((r) => r.method === 'POST' && r.path === '/v2/payments');
    const bodyOf = (key: string) => created.find((r) => r.idempotencyKey === key)?.body;
    expect(bodyOf('money-eur')).toMatchObject({
      amount: { currency: 'EUR', value: '10.50' },
      description: 'Course fee',
      redirectUrl: 'https://paylinks.example/pay/tok/return?payment=pay_123',
      webhookUrl: 'https://paylinks.example/api/webhooks/m1',
      metadata: { paylinksPaymentId: 'pay_123' },
    });
    expect(bodyOf('money-jpy')).toMatchObject({ amount: { currency: 'JPY', value: '1000' } });
    expect(eur.redirectUrl).toBe(`${simulator.url}/checkout/${eur.providerReference}`);
    expect(jpy.providerReference).toMatch(/^tr_/);
  });

  it('declares where its checkout pages are, for the payment page’s form-action', () => {
    expect(provider().checkoutOrigins).toEqual([simulator.url]);
    expect(createMollieProvider().checkoutOrigins).toEqual(['https://www.mollie.com']);
  });

  it('tells test keys from live ones by their prefix', () => {
    expect(provider().modeOf?.({ apiKey: KEY })).toBe('test');
    expect(provider().modeOf?.({ apiKey: 'live_abcdefghijklmnopqrstuvwxyz0123' })).toBe('live');
  });

  it('refuses a wrong key at connect time as a config error', async () => {
    const verified = await provider().verifyCredentials({ apiKey: 'test_wrongwrongwrongwrongwrongwrong' });
    expect(verified).toMatchObject({ ok: false, error: { kind: 'config', code: 'mollie_401' } });
    expect(await provider().verifyCredentials(credentials)).toEqual({ ok: true, value: undefined });
  });

  it('keeps Mollie’s field when it refuses a value', async () => {
    const result = await provider().startCheckout({
      paymentId: 'pay_1',
      idempotencyKey: 'bad-url',
      amount: { minor: 100n, currency: 'EUR' },
      description: 'x',
      payerEmail: 'a@example.test',
      returnUrl: 'not a url',
      webhookUrl: 'https://paylinks.example/hook',
      credentials,
    });
    expect(result).toMatchObject({
      kind: 'failed',
      error: { kind: 'invalid', code: 'mollie_422_redirectUrl' },
    });
  });

  it('re-fetches on every webhook: forged, foreign and other keys’ ids change nothing', async () => {
    const parse = (rawBody: string, apiKey = KEY) =>
      provider().parseWebhook({ rawBody, headers: {}, credentials: { apiKey }, now: new Date() });
    const { providerReference } = await checkout('EUR', 2500n);
    expect(await parse('id=tr_Forged9999')).toMatchObject({ kind: 'ignored' });
    expect(await parse(`id=${simulator.createForeignPayment(KEY)}`)).toMatchObject({ kind: 'ignored' });
    expect(await parse(`id=${providerReference}`, OTHER_KEY)).toMatchObject({ kind: 'ignored' });
    expect(await parse('id=ord_abc')).toMatchObject({ kind: 'ignored' });
    expect(await parse('')).toMatchObject({ kind: 'rejected' });
    expect(await parse(`id=${providerReference}`, 'test_revokedrevokedrevokedrevoked1')).toMatchObject({
      kind: 'rejected',
      error: { kind: 'config' },
    });

    simulator.complete(providerReference, 'paid');
    const paid = await parse(`id=${providerReference}`);
    expect(paid).toMatchObject({
      kind: 'events',
      events: [{ status: 'complete', providerEventId: `${providerReference}:paid`, paymentId: 'pay_123' }],
    });
  });

  it('refunds through paymentRefunds; the next webhook reports the payment returned', async () => {
    const { providerReference } = await checkout('EUR', 1999n);
    simulator.complete(providerReference, 'paid');
    const refund = await provider().refund({
      providerReference,
      amount: { minor: 1999n, currency: 'EUR' },
      idempotencyKey: `refund-${providerReference}`,
      credentials,
    });
    expect(refund).toMatchObject({ kind: 'pending', providerRefundReference: expect.stringMatching(/^re_/) });
    const body = simulator.requests.find((r) => r.path === `/v2/payments/${providerReference}/refunds`)?.body;
    expect(body).toEqual({ amount: { currency: 'EUR', value: '19.99' } });
    const fetched = await provider().fetchStatus({ providerReference, credentials });
    expect(fetched).toMatchObject({ ok: true, value: { status: 'returned' } });
  });

  it('cancelCheckout: cancels an open payment, already_paid once paid, retries one Mollie will not cancel yet', async () => {
    const open = await checkout('EUR', 100n);
    expect(
      await provider().cancelCheckout({ providerReference: open.providerReference, credentials }),
    ).toEqual({
      kind: 'cancelled',
    });
    const paid = await checkout('EUR', 100n);
    simulator.complete(paid.providerReference, 'paid');
    expect(
      await provider().cancelCheckout({ providerReference: paid.providerReference, credentials }),
    ).toEqual({
      kind: 'already_paid',
    });
    const card = await checkout('EUR', 100n);
    simulator.setCancelable(card.providerReference, false);
    expect(
      await provider().cancelCheckout({ providerReference: card.providerReference, credentials }),
    ).toMatchObject({
      kind: 'failed',
      error: { kind: 'retryable', code: 'not_cancelable' },
    });
  });
});
