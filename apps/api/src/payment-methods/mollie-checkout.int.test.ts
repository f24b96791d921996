import { openTestDatabase } from '@paylinks/db/testing';
import { createMollieProvider } from '@paylinks/plugin-mollie';
import { type MollieSimulator, startMollieSimulator } from '@paylinks/plugin-mollie/simulator';
import { createSandboxProvider } from '@paylinks/plugin-sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkout, chrome, nextMinute, openLink } from '../public-pay/public-pay-fixtures.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';

// The real Mollie SDK, over https, against the local simulator; the simulator's webhooks are
// handed to this app in-process, form-encoded and without Origin, as Mollie sends them.
const API_KEY = 'test_paylinksintegration0123456789';
let simulator: MollieSimulator;
let app: TestApp;
let owner: TestMember;
let methodId: string;
let contactId: string;

type Json = any;

beforeAll(async () => {
  simulator = await startMollieSimulator({
    apiKeys: [API_KEY],
    webhookTimeScale: 0.000001,
    deliverWebhook: async (url, init) => app.request(new URL(url).pathname, init),
  });
  // Every workspace starts with the sandbox, so Mollie is installed beside it.
  app = testApp(await openTestDatabase(), {
    providers: [createSandboxProvider(), createMollieProvider({ apiEndpoint: simulator.apiEndpoint })],
  });
  owner = await app.signUp('Mollie shop');
  const connected = await app.call(owner, 'POST', '/api/payment-methods', {
    providerId: 'mollie',
    mode: 'test',
    credentials: { apiKey: API_KEY },
  });
  expect(connected.status, await connected.clone().text()).toBe(201);
  methodId = ((await connected.json()) as Json).id;
  const contact = await app.call(owner, 'POST', '/api/contacts', {
    name: 'Grace',
    email: 'grace@example.com',
  });
  contactId = ((await contact.json()) as Json).id;
});
afterAll(async () => {
  await simulator?.stop();
  await app?.close();
});
beforeEach(() => nextMinute(app));

async function link(amount: string, currency = 'EUR') {
  return app.call(owner, 'POST', '/api/payment-links', {
    origin: 'contact',
    contactId,
    description: 'Workshop seat',
    methodId,
    amount,
    currency,
    validityDays: 7,
  });
}

/** A link, opened, checked out: the payer is on Mollie's page. */
async function atMollie(amount = '10.00', currency = 'EUR') {
  const created: Json = await (await link(amount, currency)).json();
  const token = new URL(created.url).pathname.split('/').pop() as string;
  const opened: Json = await (await openLink(app, token)).response.json();
  const response = await checkout(app, token, {
    paymentId: opened.paymentId,
    email: 'payer@example.com',
    phone: '+31 6 12345678',
  });
  const body: Json = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(200);
  expect(body).toMatchObject({ kind: 'redirect', paymentId: opened.paymentId });
  const providerReference = new URL(body.redirectUrl).pathname.split('/').pop() as string;
  return {
    token,
    paymentId: opened.paymentId as string,
    redirectUrl: body.redirectUrl as string,
    providerReference,
  };
}

const paymentOf = async (id: string): Promise<Json> =>
  (await app.call(owner, 'GET', `/api/payments/${id}`)).json();
const returnStatus = async (token: string, paymentId: string): Promise<Json> =>
  (
    await app.request(`/api/pay/${token}/status?payment=${paymentId}`, { headers: { 'user-agent': chrome } })
  ).json();

describe('Mollie through the app', () => {
  it('refuses a wrong API key at connect time with a clear error', async () => {
    const response = await app.call(owner, 'POST', '/api/payment-methods', {
      providerId: 'mollie',
      mode: 'test',
      credentials: { apiKey: 'test_wrongwrongwrongwrongwrongwrong' },
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: 'credentials_rejected', field: 'credentials' });
    const malformed = await app.call(owner, 'POST', '/api/payment-methods', {
      providerId: 'mollie',
      credentials: { apiKey: 'sk_test_123' },
    });
    expect(malformed.status).toBe(422);
  });

  it('refuses a currency Mollie does not take when the link is created', async () => {
    const response = await link('1.000', 'KWD');
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: 'currency_not_supported', field: 'currency' });
  });

  it('pays: redirect to Mollie with the amount in Mollie’s decimals, "Paid", the form-encoded webhook is re-fetched: Complete', async () => {
    const { paymentId, redirectUrl, providerReference } = await atMollie('10.00');
    expect(redirectUrl).toBe(`${simulator.url}/checkout/${providerReference}`);
    const created = simulator.requests.find(
      (r) =>
        r.method === 'POST' &&
        r.path === '/v2/payments' &&
        r.idempotencyKey !== undefined &&
        (r.body as Json)?.metadata?.paylinksPaymentId === paymentId,
    );
    expect(created?.body).toMatchObject({
      amount: { currency: 'EUR', value: '10.00' },
      webhookUrl: `http://localhost:3000/api/webhooks/${methodId}`,
      redirectUrl: expect.stringContaining(`/return?payment=${paymentId}`),
    });
    simulator.complete(providerReference, 'paid');
    await simulator.webhooks.idle();
    const delivered = simulator.webhooks.deliveries.filter((d) => d.paymentId === providerReference);
    expect(delivered.map((d) => d.status)).toEqual([200]);
    expect((await paymentOf(paymentId)).status).toBe('complete');
  });

  it('JPY goes to Mollie without decimals', async () => {
    const { paymentId } = await atMollie('1000', 'JPY');
    const created = simulator.requests.find(
      (r) => (r.body as Json)?.metadata?.paylinksPaymentId === paymentId,
    );
    expect(created).toBeDefined();
    expect((created!.body as Json).amount).toEqual({ currency: 'JPY', value: '1000' });
  });

  it('the payer back before the webhook sees Processing, then Complete once Mollie says paid', async () => {
    const { token, paymentId, providerReference } = await atMollie();
    simulator.webhooks.pause();
    // Back on our return page while the method has not answered yet (Mollie: pending).
    simulator.setObservation(providerReference, 'pending');
    expect(await returnStatus(token, paymentId)).toMatchObject({
      status: 'processing',
      statusLabel: 'Processing',
    });
    simulator.complete(providerReference, 'paid');
    simulator.webhooks.resume();
    await simulator.webhooks.idle();
    expect((await paymentOf(paymentId)).status).toBe('complete');
  });

  it('a forged id changes nothing', async () => {
    const { paymentId } = await atMollie();
    const forged = await app.request(`/api/webhooks/${methodId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'id=tr_Forged00000',
    });
    expect(forged.status).toBe(200);
    expect(await forged.json()).toEqual({ received: true, applied: 0 });
    const foreign = await app.request(`/api/webhooks/${methodId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `id=${simulator.createForeignPayment(API_KEY, 'paid')}`,
    });
    expect(await foreign.json()).toEqual({ received: true, applied: 0 });
    expect((await paymentOf(paymentId)).status).toBe('processing');
  });

  it('refunds from the CRM: Mollie keeps the payment paid with amountRefunded, and the app shows Returned', async () => {
    const { paymentId, providerReference } = await atMollie('25.50');
    simulator.complete(providerReference, 'paid');
    await simulator.webhooks.idle();
    expect((await paymentOf(paymentId)).status).toBe('complete');
    const refund = await app.call(owner, 'POST', `/api/payments/${paymentId}/refunds`);
    expect([200, 202]).toContain(refund.status);
    await simulator.webhooks.idle();
    const refunded = simulator.requests.find((r) => r.path === `/v2/payments/${providerReference}/refunds`);
    expect(refunded?.body).toEqual({ amount: { currency: 'EUR', value: '25.50' } });
    expect(simulator.payment(providerReference)).toMatchObject({
      status: 'paid',
      amountRefunded: { value: '25.50' },
    });
    expect((await paymentOf(paymentId)).status).toBe('returned');
  });

  it('refunds JPY in parts: Mollie gets each amount without decimals, a partial refund leaves it Complete', async () => {
    const { paymentId, providerReference } = await atMollie('3000', 'JPY');
    simulator.complete(providerReference, 'paid');
    await simulator.webhooks.idle();
    const refundsPath = `/v2/payments/${providerReference}/refunds`;
    // Mollie accepts a refund as pending and calls the payment's webhook: re-fetched, it is still paid.
    const part = await app.call(owner, 'POST', `/api/payments/${paymentId}/refunds`, { amount: 1000 });
    expect(part.status).toBe(202);
    await simulator.webhooks.idle();
    expect(await paymentOf(paymentId)).toMatchObject({
      status: 'complete',
      refundedAmount: { amount: '1000' },
    });
    nextMinute(app);
    expect((await app.call(owner, 'POST', `/api/payments/${paymentId}/refunds`)).status).toBe(202);
    await simulator.webhooks.idle();
    const sent = simulator.requests.filter((r) => r.path === refundsPath).map((r) => r.body);
    expect(sent).toEqual([
      { amount: { currency: 'JPY', value: '1000' } },
      { amount: { currency: 'JPY', value: '2000' } },
    ]);
    // Mollie's amountRefunded on each re-fetch is our own refunds: counted once, none as a dashboard one.
    expect(await paymentOf(paymentId)).toMatchObject({
      status: 'returned',
      refundedAmount: { amount: '3000' },
      refunds: [{ amount: { amount: '1000' } }, { amount: { amount: '2000' } }],
    });
  });

  it('a refund Mollie accepted as pending settles on the re-fetch: refunded succeeds, failed gives the money back to refund', async () => {
    const { paymentId, providerReference } = await atMollie('25.50');
    simulator.complete(providerReference, 'paid');
    await simulator.webhooks.idle();
    expect(
      (await app.call(owner, 'POST', `/api/payments/${paymentId}/refunds`, { amount: 1000 })).status,
    ).toBe(202);
    nextMinute(app);
    expect(
      (await app.call(owner, 'POST', `/api/payments/${paymentId}/refunds`, { amount: 500 })).status,
    ).toBe(202);
    await simulator.webhooks.idle();
    const pending = await paymentOf(paymentId);
    expect(pending.refunds.map((r: Json) => r.status)).toEqual(['pending', 'pending']);

    simulator.settleRefund(providerReference, pending.refunds[0].providerRefundReference, 'refunded');
    await simulator.webhooks.idle();
    simulator.settleRefund(providerReference, pending.refunds[1].providerRefundReference, 'failed');
    await simulator.webhooks.idle();
    expect(await paymentOf(paymentId)).toMatchObject({
      status: 'complete',
      refundedAmount: { amount: '10.00' },
      refundableAmount: { amount: '15.50' },
      refunds: [
        { amount: { amount: '10.00' }, status: 'succeeded' },
        { amount: { amount: '5.00' }, status: 'failed' },
      ],
    });
  });

  it('a refund made in Mollie’s dashboard shows: a part keeps it Complete, the rest makes it Returned, each once', async () => {
    const { paymentId, providerReference } = await atMollie('25.50');
    simulator.complete(providerReference, 'paid');
    await simulator.webhooks.idle();

    simulator.refundInDashboard(providerReference, '10.00');
    await simulator.webhooks.idle();
    const dashboard = { reason: 'Refunded in Mollie dashboard', status: 'succeeded', manual: false };
    expect(await paymentOf(paymentId)).toMatchObject({
      status: 'complete',
      refundedAmount: { amount: '10.00' },
      refundableAmount: { amount: '15.50' },
      refunds: [{ amount: { amount: '10.00' }, ...dashboard }],
    });
    // Mollie calls again about the same state: re-fetched, nothing new.
    const again = await app.request(`/api/webhooks/${methodId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `id=${providerReference}`,
    });
    expect(await again.json()).toEqual({ received: true, applied: 0 });
    expect((await paymentOf(paymentId)).refunds).toHaveLength(1);

    nextMinute(app);
    simulator.refundInDashboard(providerReference);
    await simulator.webhooks.idle();
    const returned = await paymentOf(paymentId);
    expect(returned).toMatchObject({
      status: 'returned',
      refundedAmount: { amount: '25.50' },
      refundableAmount: { amount: '0.00' },
    });
    expect(returned.refunds.map((r: Json) => [r.amount.amount, r.reason])).toEqual([
      ['10.00', dashboard.reason],
      ['15.50', dashboard.reason],
    ]);
  });
});
