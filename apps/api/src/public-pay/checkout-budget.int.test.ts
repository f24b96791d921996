import { deals, payments } from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { countProviderCheckouts, declinedCard, startOfNextHour } from './checkout-budget-fixtures.js';
import {
  type CrmFixture,
  checkout,
  createDeal,
  createLink,
  crmFixture,
  nextMinute,
  openLink,
  paymentsOfLink,
  testCard,
} from './public-pay-fixtures.js';

type Json = any;

let app: TestApp;
let ada: TestMember;
let crm: CrmFixture;
let provider: { calls: number };

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  ada = await app.signUp('Acme');
  crm = await crmFixture(app, ada);
  provider = countProviderCheckouts(app);
});
afterAll(() => app.close());
// Each test starts a fresh hour of the link budget and a fresh minute of the per-address limits.
beforeEach(() => startOfNextHour(app));

const payer = { email: 'payer@example.com', phone: '+31 6 12345678' };

async function crmLink(linkId: string): Promise<Json> {
  const response = await app.call(ada, 'GET', `/api/payment-links/${linkId}`);
  expect(response.status).toBe(200);
  return response.json();
}

async function declinedAttemptsOf(paymentId: string) {
  const [row] = await app.database.db
    .select({ declinedAttempts: payments.declinedAttempts })
    .from(payments)
    .where(eq(payments.id, paymentId));
  return row!.declinedAttempts;
}

/**
 * One payer (a browser of their own) opens the link and tries a card. The per-address limits are
 * not what is tested here, so the clock steps a minute every few payers to stay under them.
 */
async function payerTries(token: string, index: number, card = declinedCard) {
  if (index % 5 === 0) nextMinute(app);
  const opened = await openLink(app, token);
  if (opened.response.status !== 200) {
    const refusal = (await opened.response.json()) as Json;
    // A refused page leaves no payment to check out; a script posts anyway.
    const attempt = await checkout(app, token, { ...payer, card });
    return {
      view: opened.response.status,
      viewCode: refusal.code,
      checkout: attempt.status,
      body: (await attempt.json()) as Json,
    };
  }
  const { paymentId } = (await opened.response.json()) as Json;
  const attempt = await checkout(app, token, { paymentId, ...payer, card });
  return {
    view: 200,
    viewCode: null,
    checkout: attempt.status,
    body: (await attempt.json()) as Json,
    paymentId,
  };
}

describe('declined attempts on one payment', () => {
  it('the same payment takes another card after a decline, and pays', async () => {
    const dealId = await createDeal(app, ada, crm);
    const link = await createLink(app, ada, crm, { origin: 'deal', dealId });
    const opened = await openLink(app, link.token);
    const { paymentId } = (await opened.response.json()) as Json;
    const declined = await checkout(app, link.token, { paymentId, ...payer, card: declinedCard });
    expect(declined.status).toBe(402);
    // The payer refreshes before trying another card: the same visit, the same payment.
    const refreshed = await openLink(app, link.token, { cookie: opened.cookie });
    expect(((await refreshed.response.json()) as Json).paymentId).toBe(paymentId);
    const paid = await checkout(app, link.token, { paymentId, ...payer, card: testCard });
    expect(paid.status).toBe(200);
    expect(await paid.json()).toMatchObject({ status: 'complete' });
    expect(await paymentsOfLink(app, link.id)).toHaveLength(1);
    expect(await declinedAttemptsOf(paymentId)).toBe(1);
  });

  it('a 4th attempt after 3 declines is refused without reaching the provider; the payer is told to contact the sender', async () => {
    const dealId = await createDeal(app, ada, crm);
    const link = await createLink(app, ada, crm, { origin: 'deal', dealId });
    const opened = await openLink(app, link.token);
    const { paymentId } = (await opened.response.json()) as Json;
    const before = provider.calls;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await checkout(app, link.token, { paymentId, ...payer, card: declinedCard })).status);
    }
    expect(statuses).toEqual([402, 402, 402]);
    expect(provider.calls - before).toBe(3);

    const fourth = await checkout(app, link.token, { paymentId, ...payer, card: testCard });
    expect(fourth.status).toBe(409);
    const body = (await fourth.json()) as Json;
    expect(body).toMatchObject({ code: 'too_many_attempts', field: 'paymentId' });
    expect(body.detail).toMatch(/contact the sender/i);
    expect(provider.calls - before).toBe(3);
    expect(await declinedAttemptsOf(paymentId)).toBe(3);
    // A refresh does not hand out a fresh budget: it is the same visit.
    const refreshed = await openLink(app, link.token, { cookie: opened.cookie });
    expect(((await refreshed.response.json()) as Json).paymentId).toBe(paymentId);
    expect(await paymentsOfLink(app, link.id)).toHaveLength(1);
    // The link itself is not paused by one payer's three declines.
    expect((await crmLink(link.id)).checkoutPaused).toBeNull();
  });
});

describe('declined attempts on one link (card testing)', () => {
  it('40 payers declining on a contact link: 20 reach the provider, the link pauses, no deal is made, the team sees why and resumes', async () => {
    const link = await createLink(app, ada, crm, { origin: 'contact' });
    const dealsBefore = (await app.database.db.select().from(deals)).length;
    const before = provider.calls;
    const attempts = [];
    let twentiethAt = '';
    for (let i = 0; i < 40; i++) {
      attempts.push(await payerTries(link.token, i));
      if (i === 19) twentiethAt = app.clock.now().toISOString();
    }

    expect(provider.calls - before).toBe(20);
    expect(attempts.slice(0, 20).map((a) => a.checkout)).toEqual(Array(20).fill(402));
    for (const refused of attempts.slice(20)) {
      expect(refused).toMatchObject({ view: 423, viewCode: 'checkout_paused', checkout: 423 });
      expect(refused.body).toMatchObject({ code: 'checkout_paused' });
      expect(refused.body.detail).toMatch(/contact the sender/i);
    }
    // Only the visits before the pause were recorded; none of the declines made a deal.
    expect(await paymentsOfLink(app, link.id)).toHaveLength(20);
    expect((await app.database.db.select().from(deals)).length).toBe(dealsBefore);

    const paused = await crmLink(link.id);
    expect(paused.checkoutPaused).toEqual({ at: twentiethAt, reason: 'too_many_declined_attempts' });
    const listed = (await (
      await app.call(ada, 'GET', `/api/payment-links?contactId=${crm.contactId}`)
    ).json()) as Json;
    expect(listed.items.find((l: Json) => l.id === link.id).checkoutPaused.reason).toBe(
      'too_many_declined_attempts',
    );

    const member = await app.addMember(ada, 'member');
    const refused = await app.call(member, 'POST', `/api/payment-links/${link.id}/resume-checkout`);
    expect(refused.status).toBe(403);
    const resumed = await app.call(ada, 'POST', `/api/payment-links/${link.id}/resume-checkout`);
    expect(resumed.status).toBe(200);
    expect(((await resumed.json()) as Json).checkoutPaused).toBeNull();
    expect((await crmLink(link.id)).checkoutPaused).toBeNull();

    // Resuming starts a fresh budget: the next decline is a decline, not a pause, and a good card pays.
    nextMinute(app);
    expect(await payerTries(link.token, 1)).toMatchObject({ view: 200, checkout: 402 });
    const paid = await payerTries(link.token, 2, testCard);
    expect(paid).toMatchObject({ view: 200, checkout: 200, body: { status: 'complete' } });
    expect((await app.database.db.select().from(deals)).length).toBe(dealsBefore + 1);
  });

  it('a paused payment opened before the pause is refused at checkout without reaching the provider', async () => {
    const dealId = await createDeal(app, ada, crm);
    const link = await createLink(app, ada, crm, { origin: 'deal', dealId });
    const early = await openLink(app, link.token);
    const { paymentId } = (await early.response.json()) as Json;
    for (let i = 0; i < 20; i++) await payerTries(link.token, i);
    const before = provider.calls;
    const late = await checkout(app, link.token, { paymentId, ...payer, card: testCard });
    expect(late.status).toBe(423);
    expect(await late.json()).toMatchObject({ code: 'checkout_paused' });
    expect(provider.calls).toBe(before);
  });

  it('attempts refused as invalid (not a test card, bad card fields) count toward the link budget too', async () => {
    const dealId = await createDeal(app, ada, crm);
    const link = await createLink(app, ada, crm, { origin: 'deal', dealId });
    const probes = [
      { ...testCard, cardNumber: '4111 1111 1111 1111' },
      { ...testCard, expiry: '13/99' },
    ];
    const statuses = [];
    for (let i = 0; i < 20; i++) statuses.push((await payerTries(link.token, i, probes[i % 2]!)).checkout);
    expect(statuses).toEqual(Array(20).fill(422));
    const next = await payerTries(link.token, 20, testCard);
    expect(next).toMatchObject({ view: 423, checkout: 423 });
    expect((await crmLink(link.id)).checkoutPaused.reason).toBe('too_many_declined_attempts');
  });
});

describe('resuming checkout in the OpenAPI document', () => {
  it('is listed with its refusals', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as Json;
    const route = doc.paths['/api/payment-links/{id}/resume-checkout'].post;
    expect(Object.keys(route.responses)).toEqual(expect.arrayContaining(['200', '403', '404']));
    expect(Object.keys(doc.paths['/api/pay/{token}'].get.responses)).toContain('423');
    expect(Object.keys(doc.paths['/api/pay/{token}/checkout'].post.responses)).toContain('423');
  });
});
