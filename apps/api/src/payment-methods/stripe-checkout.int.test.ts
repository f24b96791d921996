import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { refunds } from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import {
  createStripeSimulator,
  SIMULATOR_SECRET_KEY,
  SIMULATOR_WEBHOOK_SECRET,
  type StripeSimulator,
} from '@paylinks/plugin-stripe/simulator';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkout, chrome, nextMinute, openLink } from '../public-pay/public-pay-fixtures.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { createInstalledProviders } from './installed-providers.js';

// The real Stripe SDK against the local simulator, through the providers this deployment installs
// (PAYLINKS_STRIPE_API_URL). The simulator signs its webhooks and posts them over HTTP, as Stripe
// does, to a small listener that hands them to this app unchanged.

type Json = any;

let simulator: StripeSimulator;
let app: TestApp;
let owner: TestMember;
let methodId: string;
let contactId: string;
let relay: Server;
let simulatorUrl: string;

/** Stripe as this deployment installs it, for a test that plays the part of a request reaching it. */
const stripeProvider = () => {
  const provider = createInstalledProviders({ PAYLINKS_STRIPE_API_URL: simulatorUrl }).find(
    (p) => p.id === 'stripe',
  );
  if (!provider) throw new Error('Stripe is installed when its API URL is set');
  return provider;
};

/** Our public URL as Stripe reaches it: the request, raw body and headers, into app.request. */
function startRelay(): Promise<string> {
  relay = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers.set(name, value);
      }
      const response = await app.request(req.url ?? '/', {
        method: req.method ?? 'POST',
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(response.status, { 'content-type': 'application/json' });
      res.end(await response.text());
    });
  });
  return new Promise((resolve) =>
    relay.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(relay.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  // The simulator's clock is the app's: webhook signatures are checked against the app's clock, and
  // a test moves both past a session's expiry at once.
  simulator = createStripeSimulator({ retryDelaysMs: [10, 20, 40], now: () => app.clock.now() });
  simulatorUrl = await simulator.start();
  const relayUrl = await startRelay();
  app = testApp(await openTestDatabase(), {
    providers: createInstalledProviders({ PAYLINKS_STRIPE_API_URL: simulatorUrl }),
  });
  app.clock.set(new Date());
  owner = await app.signUp('Stripe shop');
  const connected = await app.call(owner, 'POST', '/api/payment-methods', {
    providerId: 'stripe',
    credentials: { secretKey: SIMULATOR_SECRET_KEY, webhookSecret: SIMULATOR_WEBHOOK_SECRET },
  });
  const method: Json = await connected.json();
  expect(connected.status, JSON.stringify(method)).toBe(201);
  expect(method).toMatchObject({ providerId: 'stripe', mode: 'test' });
  methodId = method.id;
  // The team pastes the method's webhook URL into Stripe's dashboard, with the signing secret.
  simulator.addWebhookEndpoint({
    url: `${relayUrl}${new URL(method.webhookUrl).pathname}`,
    secret: SIMULATOR_WEBHOOK_SECRET,
  });
  const contact = await app.call(owner, 'POST', '/api/contacts', {
    name: 'Grace',
    email: 'grace@example.com',
  });
  contactId = ((await contact.json()) as Json).id;
});
afterAll(async () => {
  await simulator?.settled();
  await simulator?.close();
  relay?.closeAllConnections();
  await new Promise((resolve) => relay?.close(resolve));
  await app?.close();
});
beforeEach(() => nextMinute(app));

function link(amount: string, currency = 'EUR', target: { dealId?: string } = {}) {
  return app.call(owner, 'POST', '/api/payment-links', {
    ...(target.dealId ? { origin: 'deal', dealId: target.dealId } : { origin: 'contact', contactId }),
    description: 'Workshop seat',
    methodId,
    amount,
    currency,
    validityDays: 7,
  });
}

async function tokenOf(response: Response): Promise<string> {
  const created: Json = await response.json();
  expect(response.status, JSON.stringify(created)).toBe(201);
  return new URL(created.url).pathname.split('/').pop() as string;
}

/** One browser's visit and checkout: the payer is on Stripe's hosted page. */
async function checkoutAt(token: string) {
  const opened: Json = await (await openLink(app, token)).response.json();
  const response = await checkout(app, token, {
    paymentId: opened.paymentId,
    email: 'payer@example.com',
    phone: '+31 6 12345678',
  });
  const body: Json = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(200);
  expect(body).toMatchObject({ kind: 'redirect', paymentId: opened.paymentId });
  const sessionId = new URL(body.redirectUrl).pathname.split('/').pop() as string;
  return { token, paymentId: opened.paymentId as string, redirectUrl: body.redirectUrl as string, sessionId };
}

async function atStripe(amount = '10.50', currency = 'EUR') {
  return checkoutAt(await tokenOf(await link(amount, currency)));
}

/** The session create the SDK sent for this payment, as the simulator received it. */
function sessionCreate(paymentId: string) {
  return simulator.requests.find(
    (r) =>
      r.method === 'POST' &&
      r.path === '/v1/checkout/sessions' &&
      (r.form.metadata as Json)?.paymentId === paymentId,
  );
}

/** The payer's click on the hosted page's Pay button; Stripe sends them to success_url. */
async function payOnStripe(redirectUrl: string) {
  const paid = await fetch(`${redirectUrl}/pay`, { method: 'POST', redirect: 'manual' });
  expect(paid.status).toBe(303);
  return paid.headers.get('location');
}

const paymentOf = async (id: string): Promise<Json> =>
  (await app.call(owner, 'GET', `/api/payments/${id}`)).json();
const returnStatus = async (token: string, paymentId: string): Promise<Json> =>
  (
    await app.request(`/api/pay/${token}/status?payment=${paymentId}`, { headers: { 'user-agent': chrome } })
  ).json();
const deliveriesOf = (type: string) => simulator.deliveries.filter((d) => d.type === type);

describe('Stripe through the app', () => {
  it('refuses a wrong secret key at connect time with a clear 422 and stores nothing', async () => {
    const before: Json = await (await app.call(owner, 'GET', '/api/payment-methods')).json();
    const response = await app.call(owner, 'POST', '/api/payment-methods', {
      providerId: 'stripe',
      credentials: { secretKey: 'sk_test_revoked0123456789abcdef', webhookSecret: SIMULATOR_WEBHOOK_SECRET },
    });
    expect(response.status).toBe(422);
    const problem: Json = await response.json();
    expect(problem).toMatchObject({ code: 'credentials_rejected', field: 'credentials' });
    expect(problem.detail ?? problem.message).toMatch(/\S/);
    const after: Json = await (await app.call(owner, 'GET', '/api/payment-methods')).json();
    expect(after.paymentMethods).toHaveLength(before.paymentMethods.length);
    // The simulator saw the key checked, and the key itself is never recorded.
    expect(simulator.requests.some((r) => r.path === '/v1/balance' && r.status === 401)).toBe(true);
  });

  it('sends JPY whole, EUR in cents and KWD in fils to Stripe; a KWD amount off the 10-fils step is refused at the link', async () => {
    const cases = [
      { amount: '1000', currency: 'JPY', unit: '1000' },
      { amount: '10.50', currency: 'EUR', unit: '1050' },
      { amount: '5.120', currency: 'KWD', unit: '5120' },
    ];
    for (const { amount, currency, unit } of cases) {
      const { paymentId } = await atStripe(amount, currency);
      const sent = sessionCreate(paymentId);
      expect(sent?.status).toBe(200);
      expect(sent?.form.line_items).toMatchObject([
        { price_data: { currency: currency.toLowerCase(), unit_amount: unit } },
      ]);
    }
    const offStep = await link('5.125', 'KWD');
    expect(offStep.status).toBe(422);
    expect(await offStep.json()).toMatchObject({ code: 'amount_not_chargeable' });
  });

  it('pays: the payer goes to Stripe’s page, pays, is sent back, and the signed webhook makes it Complete', async () => {
    const { token, paymentId, redirectUrl, sessionId } = await atStripe('10.50');
    expect(redirectUrl).toBe(`${simulator.url}/pay/${sessionId}`);
    const sent = sessionCreate(paymentId);
    expect(sent?.idempotencyKey).toBeTruthy();
    expect(sent?.form).toMatchObject({
      mode: 'payment',
      customer_email: 'payer@example.com',
      client_reference_id: paymentId,
      metadata: { paymentId, workspaceId: owner.workspaceId },
      success_url: `http://localhost:3000/pay/${token}/return?payment=${paymentId}`,
    });
    const page = await fetch(redirectUrl);
    expect(await page.text()).toContain('Workshop seat');

    const back = await payOnStripe(redirectUrl);
    expect(back).toBe(`http://localhost:3000/pay/${token}/return?payment=${paymentId}`);
    await simulator.settled();
    const delivered = deliveriesOf('checkout.session.completed').filter((d) => d.url.includes(methodId));
    expect(delivered.at(-1)?.status).toBe(200);
    expect(await paymentOf(paymentId)).toMatchObject({ status: 'complete' });
    expect(await returnStatus(token, paymentId)).toMatchObject({ status: 'complete' });
  });

  it('refunds from the CRM: Stripe refunds the payment intent and charge.refunded makes it Returned', async () => {
    const { paymentId, redirectUrl, sessionId } = await atStripe('25.50');
    await payOnStripe(redirectUrl);
    await simulator.settled();
    expect((await paymentOf(paymentId)).status).toBe('complete');

    const refund = await app.call(owner, 'POST', `/api/payments/${paymentId}/refunds`);
    expect([200, 202]).toContain(refund.status);
    await simulator.settled();
    const intent = simulator.store.sessions.get(sessionId)?.payment_intent;
    const refunded = simulator.requests.find(
      (r) => r.path === '/v1/refunds' && r.form.payment_intent === intent,
    );
    expect(refunded?.form).toMatchObject({ amount: '2550', metadata: { paymentId } });
    expect(deliveriesOf('charge.refunded').at(-1)?.status).toBe(200);
    // Stripe's total refunded on the charge is our own refund: counted once, not again as a dashboard one.
    expect(await paymentOf(paymentId)).toMatchObject({
      status: 'returned',
      refundedAmount: { amount: '25.50' },
      refunds: [{ amount: { amount: '25.50' }, status: 'succeeded', createdBy: { id: owner.userId } }],
    });
  });

  it('a refund made in Stripe’s dashboard shows: a part keeps it Complete, the rest makes it Returned, each once', async () => {
    const { paymentId, redirectUrl, sessionId } = await atStripe('25.50');
    await payOnStripe(redirectUrl);
    await simulator.settled();

    simulator.store.refundInDashboard(sessionId, 1000);
    await simulator.settled();
    const dashboard = { reason: 'Refunded in Stripe dashboard', status: 'succeeded', manual: false };
    expect(await paymentOf(paymentId)).toMatchObject({
      status: 'complete',
      refundedAmount: { amount: '10.00' },
      refundableAmount: { amount: '15.50' },
      refunds: [{ amount: { amount: '10.00' }, providerRefundReference: null, ...dashboard }],
    });
    // Stripe delivers the same event again: nothing new.
    const event = simulator.events.filter((e) => e.type === 'charge.refunded').at(-1)!;
    const again = await app.request(`/api/webhooks/${methodId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': Stripe.webhooks.generateTestHeaderString({
          payload: JSON.stringify(event),
          secret: SIMULATOR_WEBHOOK_SECRET,
          timestamp: Math.floor(app.clock.now().getTime() / 1000),
        }),
      },
      body: JSON.stringify(event),
    });
    expect(again.status).toBe(200);
    expect((await paymentOf(paymentId)).refunds).toHaveLength(1);

    nextMinute(app);
    simulator.store.refundInDashboard(sessionId);
    await simulator.settled();
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
    expect(returned.events.filter((e: Json) => e.outcome === 'refund').map((e: Json) => e.source)).toEqual([
      'webhook',
      'webhook',
    ]);
  });

  it('our refund’s own webhook, arriving before we recorded Stripe’s answer, counts it once', async () => {
    const { paymentId, redirectUrl, sessionId } = await atStripe('25.50');
    await payOnStripe(redirectUrl);
    await simulator.settled();
    // A request claimed its refund and reached Stripe; Stripe's charge.refunded comes before its answer is kept.
    const [claimed] = await app.database.db
      .insert(refunds)
      .values({
        workspaceId: owner.workspaceId,
        paymentId,
        amountMinor: 1000n,
        currency: 'EUR',
        requestKey: 'race-1',
        createdBy: owner.userId,
      })
      .returning();
    const reached = await stripeProvider().refund!({
      providerReference: sessionId,
      amount: { minor: 1000n, currency: 'EUR' },
      idempotencyKey: `refund:${claimed!.id}`,
      credentials: { secretKey: SIMULATOR_SECRET_KEY, webhookSecret: SIMULATOR_WEBHOOK_SECRET },
      paymentId,
      refundId: claimed!.id,
    });
    expect(reached.kind).toBe('refunded');
    await simulator.settled();
    expect(deliveriesOf('charge.refunded').at(-1)?.status).toBe(200);
    expect(await paymentOf(paymentId)).toMatchObject({
      refundableAmount: { amount: '15.50' },
      refunds: [{ status: 'claimed' }],
    });
    // The request is retried with its key: Stripe answers the same refund, and it is counted once.
    const retried = await app.request(`/api/payments/${paymentId}/refunds`, {
      method: 'POST',
      headers: { ...owner.headers, 'content-type': 'application/json', 'idempotency-key': 'race-1' },
      body: JSON.stringify({ amount: 1000 }),
    });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({
      status: 'complete',
      refundedAmount: { amount: '10.00' },
      refunds: [{ amount: { amount: '10.00' }, status: 'succeeded' }],
    });
  });

  it('a refund Stripe accepted as pending settles: succeeded when it goes through, failed gives the money back to refund', async () => {
    const { paymentId, redirectUrl } = await atStripe('25.50');
    await payOnStripe(redirectUrl);
    await simulator.settled();
    simulator.store.setRefundMode('pending');
    try {
      const first = await app.call(owner, 'POST', `/api/payments/${paymentId}/refunds`, { amount: 1000 });
      expect(first.status).toBe(202);
      nextMinute(app);
      const second = await app.call(owner, 'POST', `/api/payments/${paymentId}/refunds`, { amount: 500 });
      expect(second.status).toBe(202);
      await simulator.settled();
      const pending = await paymentOf(paymentId);
      expect(pending.refunds.map((r: Json) => r.status)).toEqual(['pending', 'pending']);
      expect(pending.refundedAmount).toMatchObject({ amount: '15.00' });

      simulator.store.settleRefund(pending.refunds[0].providerRefundReference);
      simulator.store.failRefund(pending.refunds[1].providerRefundReference);
      await simulator.settled();
      expect(
        deliveriesOf('charge.refund.updated')
          .slice(-2)
          .map((d) => d.status),
      ).toEqual([200, 200]);
      expect(await paymentOf(paymentId)).toMatchObject({
        status: 'complete',
        refundedAmount: { amount: '10.00' },
        refundableAmount: { amount: '15.50' },
        refunds: [
          { amount: { amount: '10.00' }, status: 'succeeded' },
          { amount: { amount: '5.00' }, status: 'failed' },
        ],
      });
    } finally {
      simulator.store.setRefundMode('immediate');
    }
  });

  it('a pending refund that fails before we recorded Stripe’s answer is found by our refund id and frees its money', async () => {
    const { paymentId, redirectUrl, sessionId } = await atStripe('25.50');
    await payOnStripe(redirectUrl);
    await simulator.settled();
    simulator.store.setRefundMode('pending');
    try {
      // A request claimed its refund and reached Stripe, which accepted it as pending; no answer kept yet.
      const [claimed] = await app.database.db
        .insert(refunds)
        .values({
          workspaceId: owner.workspaceId,
          paymentId,
          amountMinor: 2550n,
          currency: 'EUR',
          requestKey: 'race-2',
          createdBy: owner.userId,
        })
        .returning();
      const reached = await stripeProvider().refund!({
        providerReference: sessionId,
        amount: { minor: 2550n, currency: 'EUR' },
        idempotencyKey: `refund:${claimed!.id}`,
        credentials: { secretKey: SIMULATOR_SECRET_KEY, webhookSecret: SIMULATOR_WEBHOOK_SECRET },
        paymentId,
        refundId: claimed!.id,
      });
      expect(reached.kind).toBe('pending');
      if (reached.kind !== 'pending') return;
      simulator.store.failRefund(reached.providerRefundReference);
      await simulator.settled();
      expect(await paymentOf(paymentId)).toMatchObject({
        status: 'complete',
        refundedAmount: { amount: '0.00' },
        refundableAmount: { amount: '25.50' },
        refunds: [{ status: 'failed', providerRefundReference: reached.providerRefundReference }],
      });
      // As with any refund the provider refused, trying the same request again is a new refund.
      nextMinute(app);
      const retried = await app.request(`/api/payments/${paymentId}/refunds`, {
        method: 'POST',
        headers: { ...owner.headers, 'content-type': 'application/json', 'idempotency-key': 'race-2' },
        body: JSON.stringify({ amount: 2550 }),
      });
      expect(retried.status).toBe(202);
      expect(((await retried.json()) as Json).refunds.map((r: Json) => r.status)).toEqual([
        'failed',
        'pending',
      ]);
    } finally {
      simulator.store.setRefundMode('immediate');
    }
  });

  it.for([
    ['JPY', '5000', 1200, '1200', '3800'],
    ['KWD', '10.500', 2_500, '2500', '8000'],
  ] as const)(
    'refunds a %s payment in parts: Stripe gets each amount, its partial charge.refunded leaves it Complete',
    async ([currency, total, part, sentPart, sentRest]) => {
      const { paymentId, redirectUrl, sessionId } = await atStripe(total, currency);
      await payOnStripe(redirectUrl);
      await simulator.settled();
      const intent = simulator.store.sessions.get(sessionId)?.payment_intent;
      const sent = () =>
        simulator.requests
          .filter((r) => r.path === '/v1/refunds' && r.form.payment_intent === intent)
          .map((r) => r.form.amount);

      const first = await app.call(owner, 'POST', `/api/payments/${paymentId}/refunds`, {
        amount: part,
        reason: 'Partly cancelled',
      });
      expect(first.status).toBe(200);
      await simulator.settled();
      expect(deliveriesOf('charge.refunded').at(-1)?.status).toBe(200);
      expect(await paymentOf(paymentId)).toMatchObject({ status: 'complete' });

      expect((await app.call(owner, 'POST', `/api/payments/${paymentId}/refunds`, {})).status).toBe(200);
      await simulator.settled();
      expect(sent()).toEqual([sentPart, sentRest]);
      expect(await paymentOf(paymentId)).toMatchObject({
        status: 'returned',
        refundableAmount: { currency },
      });
    },
  );

  it('an abandoned checkout: Stripe expires the session after 24 hours and checkout.session.expired makes it Cancelled', async () => {
    const { token, paymentId, sessionId } = await atStripe('12.00');
    app.clock.set(new Date(app.clock.now().getTime() + 25 * 3_600_000));
    // Stripe expires an open session on its own at expires_at; reading it here lets the simulator notice.
    expect(simulator.store.session(sessionId).status).toBe('expired');
    await simulator.settled();
    expect(
      deliveriesOf('checkout.session.expired').some((d) => d.status === 200 && d.url.includes(methodId)),
    ).toBe(true);
    expect(await paymentOf(paymentId)).toMatchObject({ status: 'cancelled' });
    expect(await returnStatus(token, paymentId)).toMatchObject({ status: 'cancelled' });
  });

  it('one charge per deal link: when one payment is paid, the other open session is expired at Stripe', async () => {
    const deal = await app.call(owner, 'POST', '/api/deals', { title: 'Workshop deal', contactId });
    expect(deal.status).toBe(201);
    const token = await tokenOf(await link('40.00', 'EUR', { dealId: ((await deal.json()) as Json).id }));
    // Two browsers opened the link and both went on to Stripe.
    const first = await checkoutAt(token);
    const second = await checkoutAt(token);
    expect(second.sessionId).not.toBe(first.sessionId);

    await payOnStripe(first.redirectUrl);
    await simulator.settled();
    expect((await paymentOf(first.paymentId)).status).toBe('complete');
    expect(
      simulator.requests.filter((r) => r.path.endsWith('/expire')).map((r) => [r.path, r.status]),
    ).toContainEqual([`/v1/checkout/sessions/${second.sessionId}/expire`, 200]);
    expect(simulator.store.sessions.get(second.sessionId)?.status).toBe('expired');
    expect(simulator.store.sessions.get(first.sessionId)?.status).toBe('complete');
    expect((await paymentOf(second.paymentId)).status).toBe('cancelled');
    // The second payer's page is gone: the link was paid.
    const late = await fetch(`${second.redirectUrl}/pay`, { method: 'POST', redirect: 'manual' });
    expect(late.status).toBe(409);
  });
});
