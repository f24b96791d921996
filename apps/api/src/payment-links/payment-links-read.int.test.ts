import type { PaymentStatus } from '@paylinks/core';
import { paymentLinks } from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  insertContact,
  insertDeal,
  insertPayment,
  type WorkspaceFixture,
  workspaceFixture,
} from '../payments/payments-fixtures.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';

const start = new Date('2026-11-26T12:00:00Z');
let app: TestApp;
let ada: TestMember;
let other: TestMember;
let fixtures: Map<TestMember, WorkspaceFixture>;
let methodId: string;

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  [ada, other] = await Promise.all([app.signUp('Acme'), app.signUp('Rival')]);
  const db = app.database.db;
  fixtures = new Map([
    [ada, await workspaceFixture(db, ada.workspaceId)],
    [other, await workspaceFixture(db, other.workspaceId)],
  ]);
  methodId = fixtures.get(ada)!.methodId;
});
afterAll(() => app.close());
beforeEach(() => app.clock.set(start));

async function newContact(member = ada) {
  return (await insertContact(app.database.db, fixtures.get(member)!, 'Grace Payer', 'grace@example.com')).id;
}

async function newDeal(contactId: string, member = ada) {
  return (await insertDeal(app.database.db, fixtures.get(member)!, contactId, 'Website redesign')).id;
}

/** A payment on a link the API made, as the payment flow would record it. */
async function pay(linkId: string, status: PaymentStatus) {
  const db = app.database.db;
  const [link] = await db.select().from(paymentLinks).where(eq(paymentLinks.id, linkId));
  await insertPayment(db, fixtures.get(ada)!, link!, { status });
}

async function createLink(target: { contactId: string } | { dealId: string }, extra = {}): Promise<any> {
  const body = {
    origin: 'contactId' in target ? 'contact' : 'deal',
    ...target,
    description: 'Invoice 42',
    methodId,
    amount: '50.00',
    currency: 'EUR',
    ...extra,
  };
  const response = await app.call(ada, 'POST', '/api/payment-links', body);
  expect(response.status).toBe(201);
  return response.json();
}

const get = async (path: string, member = ada) => {
  const response = await app.call(member, 'GET', path);
  return { status: response.status, body: (await response.json()) as any };
};

describe('listing payment links', () => {
  it("lists a contact's links newest first, page by page", async () => {
    const contactId = await newContact();
    const made = [];
    for (let i = 0; i < 3; i++) {
      app.clock.set(new Date(start.getTime() + i * 60_000));
      made.push(await createLink({ contactId }, { description: `Link ${i}` }));
    }
    await createLink({ contactId: await newContact() });

    const first = await get(`/api/payment-links?contactId=${contactId}&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((l: any) => l.description)).toEqual(['Link 2', 'Link 1']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await get(
      `/api/payment-links?contactId=${contactId}&limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((l: any) => l.id)).toEqual([made[0].id]);
    expect(second.body.nextCursor).toBeNull();
  });

  it("lists a deal's links, keeping deleted ones and ones taken off the deal after payment", async () => {
    const contactId = await newContact();
    const dealId = await newDeal(contactId);
    const paid = await createLink({ dealId });
    const removed = await createLink({ dealId }, { description: 'Removed' });
    const deleted = await createLink({ dealId }, { description: 'Deleted' });
    await pay(paid.id, 'complete');
    await app.database.db
      .update(paymentLinks)
      .set({ removedFromDealAt: start })
      .where(eq(paymentLinks.id, removed.id));
    await app.call(ada, 'DELETE', `/api/payment-links/${deleted.id}`);
    await createLink({ contactId });

    const { body } = await get(`/api/payment-links?dealId=${dealId}`);
    const byId = new Map(body.items.map((l: any) => [l.id, l]));
    expect(body.items).toHaveLength(3);
    expect(byId.get(paid.id)).toMatchObject({ state: 'paid' });
    expect(byId.get(removed.id)).toMatchObject({ removedFromDealAt: start.toISOString() });
    expect(byId.get(deleted.id)).toMatchObject({ state: 'deleted' });
  });

  it("never lists another workspace's links, and a foreign contact or deal filter is a 404", async () => {
    const theirContact = await newContact(other);
    const theirDeal = await newDeal(theirContact, other);
    const all = await get('/api/payment-links?limit=100', other);
    expect(all).toEqual({ status: 200, body: { items: [], nextCursor: null } });
    expect(await get(`/api/payment-links?contactId=${theirContact}`)).toMatchObject({
      status: 404,
      body: { code: 'not_found', field: 'contactId' },
    });
    expect(await get(`/api/payment-links?dealId=${theirDeal}`)).toMatchObject({
      status: 404,
      body: { code: 'not_found', field: 'dealId' },
    });
  });

  it.each([
    ['contactId=nope', 'contactId'],
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    [`cursor=${'x'.repeat(300)}`, 'cursor'],
    ['cursor=garbage', 'cursor'],
  ])('refuses %s', async (query, field) => {
    const { status, body } = await get(`/api/payment-links?${query}`);
    expect(status).toBe(422);
    expect(body.field).toBe(field);
  });
});

describe('one payment link', () => {
  it("another workspace's link, an unknown id and a malformed id are refused without data", async () => {
    const link = await createLink({ contactId: await newContact() });
    expect(await get(`/api/payment-links/${link.id}`, other)).toMatchObject({
      status: 404,
      body: { code: 'not_found' },
    });
    expect((await get(`/api/payment-links/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await get('/api/payment-links/123')).status).toBe(422);
    const deleteForeign = await app.call(other, 'DELETE', `/api/payment-links/${link.id}`);
    expect(deleteForeign.status).toBe(404);
    expect((await get(`/api/payment-links/${link.id}`)).body.state).toBe('active');
  });

  it('deleting stops the link at once, keeps it in history, and a second delete is a 409', async () => {
    const contactId = await newContact();
    const link = await createLink({ contactId }, { validityDays: 3 });
    app.clock.set(new Date(start.getTime() + 3_600_000));
    const response = await app.call(ada, 'DELETE', `/api/payment-links/${link.id}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ state: 'deleted', deletedAt: '2026-11-26T13:00:00.000Z' });
    expect((await get(`/api/payment-links?contactId=${contactId}`)).body.items).toMatchObject([
      { id: link.id, state: 'deleted' },
    ]);
    app.clock.set(new Date(start.getTime() + 7_200_000));
    const again = await app.call(ada, 'DELETE', `/api/payment-links/${link.id}`);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'link_already_deleted' });
    expect((await get(`/api/payment-links/${link.id}`)).body.deletedAt).toBe('2026-11-26T13:00:00.000Z');
  });
});

describe('link state over time', () => {
  it('counts started days down and expires at the exact second', async () => {
    const link = await createLink({ contactId: await newContact() }, { validityDays: 2 });
    const at = async (ms: number) => {
      app.clock.set(new Date(start.getTime() + ms));
      const { body } = await get(`/api/payment-links/${link.id}`);
      return [body.daysLeft, body.state];
    };
    expect(await at(0)).toEqual([2, 'active']);
    expect(await at(1000)).toEqual([2, 'active']);
    expect(await at(24 * 3_600_000)).toEqual([1, 'active']);
    expect(await at(48 * 3_600_000 - 1000)).toEqual([1, 'active']);
    expect(await at(48 * 3_600_000)).toEqual([0, 'expired']);
    expect(await at(400 * 24 * 3_600_000)).toEqual([0, 'expired']);
  });

  it('an unlimited link never expires', async () => {
    const link = await createLink({ contactId: await newContact() }, { validityDays: null });
    app.clock.set(new Date('2036-01-01T00:00:00Z'));
    expect((await get(`/api/payment-links/${link.id}`)).body).toMatchObject({
      daysLeft: null,
      state: 'active',
    });
  });

  it('a deal link with a successful payment is paid; a contact link stays active', async () => {
    const contactId = await newContact();
    const dealLink = await createLink({ dealId: await newDeal(contactId) });
    const contactLink = await createLink({ contactId });
    const processing = await createLink({ dealId: await newDeal(contactId) });
    await pay(dealLink.id, 'confirmed_by_team_member');
    await pay(contactLink.id, 'complete');
    await pay(processing.id, 'processing');
    expect((await get(`/api/payment-links/${dealLink.id}`)).body.state).toBe('paid');
    expect((await get(`/api/payment-links/${contactLink.id}`)).body.state).toBe('active');
    expect((await get(`/api/payment-links/${processing.id}`)).body.state).toBe('active');
  });
});
