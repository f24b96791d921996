import { randomUUID } from 'node:crypto';
import { payments, refunds } from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addTeamMember } from '../payment-methods/team-member-fixture.js';
import { createHostedTestProvider } from '../public-pay/hosted-provider-fixture.js';
import { checkout, createLink, crmFixture, openLink, testCard } from '../public-pay/public-pay-fixtures.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import {
  dealPayment,
  methodCredentials,
  paymentState,
  startSandboxCheckout,
} from '../webhooks/webhook-fixtures.js';
import {
  insertContact,
  insertLink,
  insertMethod,
  insertPayment,
  setAutomation,
  type WorkspaceFixture,
  workspaceFixture,
} from './payments-fixtures.js';

let app: TestApp;
let owner: TestMember;
let admin: TestMember;
let member: TestMember;
let other: TestMember;
let w: WorkspaceFixture;

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Refunds');
  other = await app.signUp('Elsewhere');
  admin = await addTeamMember(app, owner, 'admin');
  member = await addTeamMember(app, owner, 'member');
  w = await workspaceFixture(app.database.db, owner.workspaceId);
  await setAutomation(app.database.db, w, 'returned', 'Lost');
});
afterAll(() => app.close());
afterEach(async () => {
  app.sandbox.webhooks.release();
  await app.sandbox.webhooks.idle();
});

const db = () => app.database.db;
const refund = (who: TestMember, id: string, body?: object) =>
  app.call(who, 'POST', `/api/payments/${id}/refunds`, body);

/** A payment the sandbox charged and whose webhook made it Complete. */
async function completePayment() {
  const { payment, deal } = await dealPayment(app, w);
  const checkout = await startSandboxCheckout(app, w, payment);
  await app.sandbox.webhooks.idle();
  expect((await paymentState(db(), payment.id, w.methodId)).payment.status).toBe('complete');
  return { payment, deal, checkout };
}

describe('POST /api/payments/{id}/refunds', () => {
  it('refunds a Complete payment at the provider and marks it Returned, by the caller', async () => {
    const { payment, checkout } = await completePayment();
    // The provider's own refund webhook comes after our answer here, to pin who recorded it.
    app.sandbox.webhooks.hold();
    const response = await refund(owner, payment.id);
    expect(response.status).toBe(200);
    const body: any = await response.json();
    expect(body.status).toBe('returned');
    expect(app.sandbox.ledger.byReference(checkout.reference)!.status).toBe('refunded');
    const state = await paymentState(db(), payment.id, w.methodId);
    expect(state.transitions.at(-1)).toMatchObject({
      fromStatus: 'complete',
      toStatus: 'returned',
      source: 'team_member',
      actor: owner.userId,
    });
    app.sandbox.webhooks.release();
    await app.sandbox.webhooks.idle();
    // The provider's webhook about the same refund changes nothing.
    expect((await paymentState(db(), payment.id, w.methodId)).transitions).toHaveLength(2);

    const twice = await refund(owner, payment.id);
    expect(twice.status).toBe(409);
    expect(((await twice.json()) as any).code).toBe('transition_not_allowed');
  });

  it('lets an admin refund, not a member', async () => {
    const { payment } = await completePayment();
    const refused = await refund(member, payment.id);
    expect(refused.status).toBe(403);
    expect((await paymentState(db(), payment.id, w.methodId)).payment.status).toBe('complete');
    expect((await refund(admin, payment.id)).status).toBe(200);
    expect((await paymentState(db(), payment.id, w.methodId)).payment.status).toBe('returned');
  });

  it('records a manual refund of a payment the team confirmed, without asking any provider', async () => {
    const { payment } = await dealPayment(app, w);
    const confirmed = await app.call(owner, 'POST', `/api/payments/${payment.id}/confirm`, { note: 'cash' });
    expect(confirmed.status).toBe(200);
    const checkoutsBefore = app.sandbox.ledger.list().length;
    const response = await refund(owner, payment.id);
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).status).toBe('returned');
    expect(app.sandbox.ledger.list()).toHaveLength(checkoutsBefore);
    const state = await paymentState(db(), payment.id, w.methodId);
    expect(state.transitions.at(-1)).toMatchObject({ toStatus: 'returned', source: 'team_member' });
  });

  it('refuses a payment that is not paid with 409', async () => {
    const { payment } = await dealPayment(app, w);
    const response = await refund(owner, payment.id);
    expect(response.status).toBe(409);
    expect((await paymentState(db(), payment.id, w.methodId)).payment.status).toBe('processing');
  });

  it('answers 422 refunds_not_supported for a method that cannot refund', async () => {
    const stripe = await insertMethod(db(), w, 'Stripe (not installed here)');
    const contact = await insertContact(db(), w);
    const link = await insertLink(db(), w, { contactId: contact.id, methodId: stripe.id });
    const payment = await insertPayment(db(), w, link, { status: 'complete' });
    const response = await refund(owner, payment.id);
    expect(response.status).toBe(422);
    expect(((await response.json()) as any).code).toBe('refunds_not_supported');
  });

  it("answers 404 for another workspace's payment or an unknown one, 422 for a malformed id", async () => {
    const { payment } = await completePayment();
    expect((await refund(other, payment.id)).status).toBe(404);
    expect((await refund(owner, randomUUID())).status).toBe(404);
    expect((await refund(owner, 'not-an-id')).status).toBe(422);
    expect((await paymentState(db(), payment.id, w.methodId)).payment.status).toBe('complete');
  });
});

describe('partial refunds', () => {
  const tick = () => app.clock.set(new Date(app.clock.now().getTime() + 60_000));
  const detail = async (id: string) =>
    (await (await app.call(owner, 'GET', `/api/payments/${id}`)).json()) as any;
  const refundsAt = (reference: string) =>
    (app.sandbox.ledger.byReference(reference)?.refunds ?? []).map((r) => r.amount.minor);

  it('refunds in parts, each at the provider with its amount, Returned only when all is refunded', async () => {
    const { payment, checkout } = await completePayment();
    const before = await detail(payment.id);
    expect(before.refundedAmount).toEqual({ amount: '0.00', currency: 'EUR' });
    expect(before.refundableAmount).toEqual({ amount: '125.00', currency: 'EUR' });

    tick();
    const first = await refund(owner, payment.id, { amount: 1000, reason: 'One session cancelled' });
    expect(first.status).toBe(200);
    const afterFirst: any = await first.json();
    expect(afterFirst).toMatchObject({
      status: 'complete',
      refundedAmount: { amount: '10.00', currency: 'EUR' },
      refundableAmount: { amount: '115.00', currency: 'EUR' },
      refunds: [
        {
          amount: { amount: '10.00', currency: 'EUR' },
          reason: 'One session cancelled',
          status: 'succeeded',
          manual: false,
          createdBy: { id: owner.userId },
        },
      ],
    });
    expect(afterFirst.updatedAt > before.updatedAt).toBe(true);
    tick();
    const second: any = await (await refund(admin, payment.id, { amount: 500 })).json();
    expect(second).toMatchObject({ status: 'complete', refundedAmount: { amount: '15.00' } });
    expect(second.updatedAt > afterFirst.updatedAt).toBe(true);
    // The sandbox's webhooks about partial refunds report the checkout still paid: nothing changes.
    await app.sandbox.webhooks.idle();
    expect((await paymentState(db(), payment.id, w.methodId)).payment.status).toBe('complete');

    tick();
    const rest: any = await (await refund(owner, payment.id, {})).json();
    expect(rest).toMatchObject({
      status: 'returned',
      refundedAmount: { amount: '125.00' },
      refundableAmount: { amount: '0.00' },
    });
    expect(rest.refunds.map((r: any) => r.amount.amount)).toEqual(['10.00', '5.00', '110.00']);
    expect(refundsAt(checkout.reference)).toEqual([1000n, 500n, 11000n]);
    expect(rest.events.filter((e: any) => e.outcome === 'refund').map((e: any) => e.amount.amount)).toEqual([
      '10.00',
      '5.00',
      '110.00',
    ]);
    expect(rest.events.at(-1)).toMatchObject({ from: 'complete', to: 'returned', source: 'team_member' });
    const listed: any = await (await app.call(owner, 'GET', `/api/payments?limit=100`)).json();
    expect(listed.items.find((p: any) => p.id === payment.id).refundedAmount).toEqual({
      amount: '125.00',
      currency: 'EUR',
    });
  });

  it('refuses a refund beyond what is left with 422 on amount, and stores nothing', async () => {
    const { payment, checkout } = await completePayment();
    expect((await refund(owner, payment.id, { amount: 2000 })).status).toBe(200);
    const over = await refund(owner, payment.id, { amount: 10_501 });
    expect(over.status).toBe(422);
    expect(await over.json()).toMatchObject({ code: 'refund_exceeds_remaining', field: 'amount' });
    const zero = await refund(owner, payment.id, { amount: 0 });
    expect(zero.status).toBe(422);
    expect(((await zero.json()) as any).field).toBe('amount');
    const after = await detail(payment.id);
    expect(after.refunds).toHaveLength(1);
    expect(after.status).toBe('complete');
    expect(refundsAt(checkout.reference)).toEqual([2000n]);
  });

  it('never refunds twice for a retried request, even one that died after the provider refunded', async () => {
    const { payment, checkout } = await completePayment();
    const headers = {
      ...owner.headers,
      'content-type': 'application/json',
      'idempotency-key': 'refund-try-1',
    };
    const send = (key: string) =>
      app.request(`/api/payments/${payment.id}/refunds`, {
        method: 'POST',
        headers: { ...headers, 'idempotency-key': key },
        body: JSON.stringify({ amount: 700 }),
      });
    expect((await send('refund-try-1')).status).toBe(200);
    expect((await send('refund-try-1')).status).toBe(200);
    expect(refundsAt(checkout.reference)).toEqual([700n]);

    // A request that claimed its refund and reached the provider, then died before recording it.
    const [claimed] = await db()
      .insert(refunds)
      .values({
        workspaceId: w.workspaceId,
        paymentId: payment.id,
        amountMinor: 300n,
        currency: 'EUR',
        requestKey: 'refund-try-2',
        createdBy: owner.userId,
      })
      .returning();
    const credentials = await methodCredentials(db(), app, w.methodId);
    const reached = await app.sandbox.provider.refund!({
      providerReference: checkout.reference,
      amount: { minor: 300n, currency: 'EUR' },
      idempotencyKey: `refund:${claimed!.id}`,
      credentials,
    });
    expect(reached.kind).toBe('refunded');
    const retried = await send('refund-try-2');
    expect(retried.status).toBe(200);
    const body: any = await retried.json();
    expect(body.refunds.map((r: any) => [r.amount.amount, r.status])).toEqual([
      ['7.00', 'succeeded'],
      ['3.00', 'succeeded'],
    ]);
    expect(body.refundedAmount.amount).toBe('10.00');
    expect(refundsAt(checkout.reference)).toEqual([700n, 300n]);
  });

  it('finishes a refund whose request died (no Idempotency-Key) before the next one, at the provider once', async () => {
    const { payment, checkout } = await completePayment();
    const [claimed] = await db()
      .insert(refunds)
      .values({
        workspaceId: w.workspaceId,
        paymentId: payment.id,
        amountMinor: 2500n,
        currency: 'EUR',
        createdBy: owner.userId,
        createdAt: app.clock.now(),
        updatedAt: app.clock.now(),
      })
      .returning();
    const credentials = await methodCredentials(db(), app, w.methodId);
    await app.sandbox.provider.refund!({
      providerReference: checkout.reference,
      amount: { minor: 2500n, currency: 'EUR' },
      idempotencyKey: `refund:${claimed!.id}`,
      credentials,
    });
    // Inside its lease the claim still belongs to its request: it is counted, not finished.
    const early = await refund(owner, payment.id, { amount: 10_001 });
    expect(((await early.json()) as any).code).toBe('refund_exceeds_remaining');
    tick();
    tick();
    const rest: any = await (await refund(owner, payment.id)).json();
    expect(rest.refunds.map((r: any) => [r.amount.amount, r.status])).toEqual([
      ['25.00', 'succeeded'],
      ['100.00', 'succeeded'],
    ]);
    expect(rest.status).toBe('returned');
    expect(refundsAt(checkout.reference)).toEqual([2500n, 10_000n]);
  });

  it('keeps a refund the provider refused as failed, and lets its money be refunded again', async () => {
    const { payment, checkout } = await completePayment();
    // Refunded at the provider behind our back: the provider now refuses what we think is left.
    const credentials = await methodCredentials(db(), app, w.methodId);
    await app.sandbox.provider.refund!({
      providerReference: checkout.reference,
      amount: { minor: 12_000n, currency: 'EUR' },
      idempotencyKey: 'elsewhere',
      credentials,
    });
    const refused = await refund(owner, payment.id, { amount: 1000 });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as any).code).toBe('refund_failed');
    const after = await detail(payment.id);
    expect(after.refunds.map((r: any) => r.status)).toEqual(['failed']);
    expect(after).toMatchObject({ status: 'complete', refundableAmount: { amount: '125.00' } });
    expect((await refund(owner, payment.id, { amount: 500 })).status).toBe(200);
    expect(refundsAt(checkout.reference)).toEqual([12_000n, 500n]);
  });

  it('records partial manual refunds of a payment the team confirmed, Returned at the last', async () => {
    const { payment } = await dealPayment(app, w);
    await app.call(owner, 'POST', `/api/payments/${payment.id}/confirm`, { note: 'cash' });
    tick();
    const part: any = await (await refund(owner, payment.id, { amount: 1500, reason: 'Half back' })).json();
    expect(part).toMatchObject({ status: 'confirmed_by_team_member', refundedAmount: { amount: '15.00' } });
    expect(part.refunds[0]).toMatchObject({
      manual: true,
      status: 'succeeded',
      providerRefundReference: null,
    });
    tick();
    const rest: any = await (await refund(owner, payment.id)).json();
    expect(rest).toMatchObject({ status: 'returned', refundedAmount: { amount: '125.00' } });
  });

  it('refuses part of an amount, clearly, on a method that refunds only whole payments', async () => {
    const hosted = createHostedTestProvider();
    // The same database and sessions, with a provider that refunds whole payments only.
    const hostedApp = testApp(app.database, { providers: [app.sandbox.provider, hosted.provider] });
    const method = await insertMethod(db(), w, 'Hosted', { providerId: 'hosted' });
    const contact = await insertContact(db(), w);
    const link = await insertLink(db(), w, { contactId: contact.id, methodId: method.id });
    const payment = await insertPayment(db(), w, link, { status: 'complete' });
    await db()
      .update(payments)
      .set({ providerReference: `hosted_${payment.id}` })
      .where(and(eq(payments.workspaceId, w.workspaceId), eq(payments.id, payment.id)));
    const response = await hostedApp.call(owner, 'POST', `/api/payments/${payment.id}/refunds`, {
      amount: 100,
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: 'partial_refund_unsupported', field: 'amount' });
    const stored = await db().select().from(refunds).where(eq(refunds.paymentId, payment.id));
    expect(stored).toHaveLength(0);
  });
});

// What the payer types differs from the contact's own details (grace@example.com), as it often does.
const typed = { email: 'billing@hopper.example', phone: '+31 6 87654321' };

describe("the payer's typed email and phone", () => {
  it('are shown to the team on the payment and in the list, never on the public page or in logs', async () => {
    const link = await createLink(app, owner, await crmFixture(app, owner), { origin: 'contact' });
    const opened = await openLink(app, link.token);
    const { paymentId } = (await opened.response.json()) as { paymentId: string };
    const paid = await checkout(app, link.token, { paymentId, ...typed, card: testCard });
    expect(paid.status, await paid.clone().text()).toBe(200);
    expect(JSON.stringify(await paid.json())).not.toContain('hopper.example');

    const detail: any = await (await app.call(owner, 'GET', `/api/payments/${paymentId}`)).json();
    expect(detail).toMatchObject({ payerEmail: typed.email, payerPhone: '+31687654321' });
    const list: any = await (await app.call(owner, 'GET', '/api/payments?limit=100')).json();
    expect(list.items.find((p: any) => p.id === paymentId)).toMatchObject({ payerEmail: typed.email });

    for (const path of [`/api/pay/${link.token}`, `/api/pay/${link.token}/status?payment=${paymentId}`]) {
      const text = await (await app.request(path, { headers: { cookie: opened.cookie ?? '' } })).text();
      expect(text, path).not.toContain('hopper.example');
      expect(text, path).not.toContain('87654321');
    }
    const logged = JSON.stringify(app.logger.lines);
    expect(logged).not.toContain('hopper.example');
    expect(logged).not.toContain('87654321');
  });
});
