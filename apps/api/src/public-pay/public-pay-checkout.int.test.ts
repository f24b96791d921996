import { webhookReceipts } from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
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

let app: TestApp;
let ada: TestMember;
let crm: CrmFixture;

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  ada = await app.signUp('Acme');
  crm = await crmFixture(app, ada);
  const automations = await app.call(ada, 'PUT', `/api/pipelines/${crm.pipelineId}/automations`, {
    complete: crm.stages.Won,
  });
  expect(automations.status).toBe(200);
});
afterAll(() => app.close());
beforeEach(() => nextMinute(app));

const payer = { email: ' Payer@Example.com ', phone: '+31 6 12345678' };

/** A fresh deal with a link on it, opened once: what checkout starts from. */
async function openedDealLink() {
  const dealId = await createDeal(app, ada, crm);
  const link = await createLink(app, ada, crm, { origin: 'deal', dealId });
  const { response } = await openLink(app, link.token);
  const paymentId: string = ((await response.json()) as any).paymentId;
  return { dealId, link, paymentId };
}

async function payment(id: string): Promise<any> {
  return (await app.call(ada, 'GET', `/api/payments/${id}`)).json();
}

describe('paying a deal link', () => {
  it('with 4242: Complete, the deal moves by the automation, the link leaves the deal and stops taking payment', async () => {
    const { dealId, link, paymentId } = await openedDealLink();
    const response = await checkout(app, link.token, { paymentId, ...payer, card: testCard });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      kind: 'result',
      status: 'complete',
      statusLabel: 'Complete',
      paymentId,
    });
    await app.sandbox.webhooks.idle();

    const paid = await payment(paymentId);
    expect(paid).toMatchObject({ status: 'complete', dealId });
    // The sandbox's signed webhook for the same success arrived, was verified and stored, and changed nothing.
    const receipts = await app.database.db
      .select()
      .from(webhookReceipts)
      .where(eq(webhookReceipts.workspaceId, ada.workspaceId));
    expect(receipts.some((r) => r.processedAt !== null)).toBe(true);
    expect(paid.events.filter((e: any) => e.to === 'complete')).toHaveLength(1);
    expect(paid.events.map((e: any) => [e.from, e.to, e.outcome])).toContainEqual([
      'processing',
      'complete',
      'applied',
    ]);
    const deal: any = await (await app.call(ada, 'GET', `/api/deals/${dealId}`)).json();
    expect(deal.stageId).toBe(crm.stages.Won);
    const stored: any = await (await app.call(ada, 'GET', `/api/payment-links/${link.id}`)).json();
    expect(stored.removedFromDealAt).not.toBeNull();
    expect(stored.state).toBe('paid');

    const reopened = await openLink(app, link.token);
    expect(reopened.response.status).toBe(410);
    expect(await reopened.response.json()).toMatchObject({ code: 'link_paid' });
    expect(await paymentsOfLink(app, link.id)).toHaveLength(1);

    const status = await app.request(`/api/pay/${link.token}/status?payment=${paymentId}`);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ paymentId, status: 'complete', statusLabel: 'Complete' });

    // The provider keeps a reference, never the card number.
    const [row] = await paymentsOfLink(app, link.id);
    expect(row!.providerReference).toMatch(/^sbx_/);
    expect(
      JSON.stringify(app.sandbox.ledger.byReference(row!.providerReference!), (_k, v) =>
        typeof v === 'bigint' ? String(v) : v,
      ),
    ).not.toContain('4242424242424242');
    expect(JSON.stringify(app.logger.lines)).not.toContain('4242 4242');
  });

  it('a second checkout for a paid payment answers 410 (the link is paid)', async () => {
    const { link, paymentId } = await openedDealLink();
    expect((await checkout(app, link.token, { paymentId, ...payer, card: testCard })).status).toBe(200);
    const again = await checkout(app, link.token, { paymentId, ...payer, card: testCard });
    expect(again.status).toBe(410);
    expect(await again.json()).toMatchObject({ code: 'link_paid' });
  });

  it.each([
    ['4000 0000 0000 0002', 'card_declined'],
    ['4000 0000 0000 9995', 'insufficient_funds'],
  ])('a declined card (%s) answers 402 %s and the payment is Cancelled', async (cardNumber, code) => {
    const { link, paymentId } = await openedDealLink();
    const response = await checkout(app, link.token, {
      paymentId,
      ...payer,
      card: { ...testCard, cardNumber },
    });
    expect(response.status).toBe(402);
    expect(await response.json()).toMatchObject({ code, status: 402 });
    await app.sandbox.webhooks.idle();
    expect((await payment(paymentId)).status).toBe('cancelled');
    // The payer tries another card in the same checkout (cancelled → complete).
    const retry = await checkout(app, link.token, { paymentId, ...payer, card: testCard });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ status: 'complete' });
  });

  it('after a decline, reopening the link gives the same payment back, and another card pays it', async () => {
    const dealId = await createDeal(app, ada, crm);
    const link = await createLink(app, ada, crm, { origin: 'deal', dealId });
    const opened = await openLink(app, link.token);
    const declinedId = ((await opened.response.json()) as any).paymentId;
    const declined = await checkout(app, link.token, {
      paymentId: declinedId,
      ...payer,
      card: { ...testCard, cardNumber: '4000000000000002' },
    });
    expect(declined.status).toBe(402);
    const reopened = await openLink(app, link.token, { cookie: opened.cookie });
    const retryId = ((await reopened.response.json()) as any).paymentId;
    expect(retryId).toBe(declinedId);
    const paid = await checkout(app, link.token, { paymentId: retryId, ...payer, card: testCard });
    expect(await paid.json()).toMatchObject({ status: 'complete' });
    await app.sandbox.webhooks.idle();
    // The late webhook of the declined card does not undo the success.
    expect((await payment(declinedId)).status).toBe('complete');
    expect(await paymentsOfLink(app, link.id)).toHaveLength(1);
  });

  it('a real-looking card is refused with 422 and nothing changes', async () => {
    const { link, paymentId } = await openedDealLink();
    const response = await checkout(app, link.token, {
      paymentId,
      ...payer,
      card: { ...testCard, cardNumber: '4111 1111 1111 1111' },
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: 'not_a_test_card', field: 'card' });
    expect((await payment(paymentId)).status).toBe('processing');
    expect(JSON.stringify(app.logger.lines)).not.toContain('4111');
  });

  it('accepts a national phone number with its country', async () => {
    const { link, paymentId } = await openedDealLink();
    const response = await checkout(app, link.token, {
      paymentId,
      email: 'payer@example.com',
      phone: '06 12345678',
      defaultCountry: 'NL',
      card: testCard,
    });
    expect(response.status).toBe(200);
  });
});

describe('paying a contact link', () => {
  it('creates a deal holding the payment, and the link stays payable', async () => {
    const link = await createLink(app, ada, crm, { origin: 'contact' });
    const opened = await openLink(app, link.token);
    const paymentId: string = ((await opened.response.json()) as any).paymentId;
    expect((await payment(paymentId)).dealId).toBeNull();

    const response = await checkout(app, link.token, { paymentId, ...payer, card: testCard });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'complete' });
    await app.sandbox.webhooks.idle();

    const paid = await payment(paymentId);
    expect(paid.status).toBe('complete');
    expect(paid.dealId).toEqual(expect.any(String));
    const deal: any = await (await app.call(ada, 'GET', `/api/deals/${paid.dealId}`)).json();
    expect(deal).toMatchObject({ contact: { id: crm.contactId }, stageId: crm.stages.Won });

    const again = await openLink(app, link.token);
    expect(again.response.status).toBe(200);
    const nextId = ((await again.response.json()) as any).paymentId;
    expect(nextId).not.toBe(paymentId);
    expect((await checkout(app, link.token, { paymentId: nextId, ...payer, card: testCard })).status).toBe(
      200,
    );
    const second = await payment(nextId);
    expect(second.dealId).not.toBe(paid.dealId);
  });
});

describe('checkout refusals', () => {
  it.each([
    ['a bad email', { email: 'not-an-email' }, 'email'],
    ['a missing email', { email: undefined }, 'email'],
    ['a bad phone', { phone: '12' }, 'phone'],
    ['a national phone without country', { phone: '06 12345678' }, 'phone'],
    ['a huge phone', { phone: '1'.repeat(5000) }, 'phone'],
    ['no card', { card: undefined }, 'card'],
    ['an expired card', { card: { ...testCard, expiry: '01/20' } }, 'card.expiry'],
    ['a bad cvc', { card: { ...testCard, cvc: 'abc' } }, 'card.cvc'],
    ['an unknown card field', { card: { ...testCard, pin: '1234' } }, 'card.pin'],
    ['a card of the wrong type', { card: 'x' }, 'card'],
    ['a malformed payment id', { paymentId: '42' }, 'paymentId'],
    ['an unknown field', { extra: true }, 'extra'],
  ])('%s answers 422 naming the field', async (_what, change, field) => {
    const { link, paymentId } = await openedDealLink();
    const response = await checkout(app, link.token, { paymentId, ...payer, card: testCard, ...change });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ field });
    expect((await payment(paymentId)).status).toBe('processing');
  });

  it('a body that is not JSON answers 4xx, not 500', async () => {
    const { link } = await openedDealLink();
    const response = await checkout(app, link.token, '{nope');
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });

  it("another link's payment answers 404", async () => {
    const one = await openedDealLink();
    const two = await openedDealLink();
    const response = await checkout(app, one.link.token, {
      paymentId: two.paymentId,
      ...payer,
      card: testCard,
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ field: 'paymentId' });
  });

  it('an expired link answers 410 and the payment is untouched', async () => {
    const link = await createLink(app, ada, crm, {
      origin: 'deal',
      dealId: await createDeal(app, ada, crm),
      validityDays: 1,
    });
    const paymentId = ((await (await openLink(app, link.token)).response.json()) as any).paymentId;
    app.clock.set(new Date(app.clock.now().getTime() + 25 * 60 * 60 * 1000));
    const response = await checkout(app, link.token, { paymentId, ...payer, card: testCard });
    expect(response.status).toBe(410);
    expect(await response.json()).toMatchObject({ code: 'link_expired' });
    expect((await payment(paymentId)).status).toBe('processing');
  });

  it('the status of an unknown payment answers 404, a malformed id 422', async () => {
    const { link } = await openedDealLink();
    const unknown = await app.request(
      `/api/pay/${link.token}/status?payment=00000000-0000-4000-8000-000000000000`,
    );
    expect(unknown.status).toBe(404);
    expect((await app.request(`/api/pay/${link.token}/status?payment=nope`)).status).toBe(422);
    expect((await app.request(`/api/pay/${link.token}/status`)).status).toBe(422);
  });

  it('answers 429 after 10 checkouts a minute from one client', async () => {
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await checkout(app, 'not-a-token', {})).status);
    expect(statuses.slice(0, 10).every((s) => s !== 429)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});
