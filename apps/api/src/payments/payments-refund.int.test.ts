import { randomUUID } from 'node:crypto';
import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addTeamMember } from '../payment-methods/team-member-fixture.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { dealPayment, paymentState, startSandboxCheckout } from '../webhooks/webhook-fixtures.js';
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
const refund = (who: TestMember, id: string) => app.call(who, 'POST', `/api/payments/${id}/refund`);

/** A payment the sandbox charged and whose webhook made it Complete. */
async function completePayment() {
  const { payment, deal } = await dealPayment(app, w);
  const checkout = await startSandboxCheckout(app, w, payment);
  await app.sandbox.webhooks.idle();
  expect((await paymentState(db(), payment.id, w.methodId)).payment.status).toBe('complete');
  return { payment, deal, checkout };
}

describe('POST /api/payments/{id}/refund', () => {
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
