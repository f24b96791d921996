import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import {
  insertContact,
  insertDeal,
  insertLink,
  insertMethod,
  insertPayment,
  type WorkspaceFixture,
  workspaceFixture,
} from './payments-fixtures.js';

let app: TestApp;
let owner: TestMember;
let stranger: TestMember;
let w: WorkspaceFixture;
const ids: Record<string, string> = {};
let adaId: string;
let dealId: string;
let stripeId: string;
let foreignPaymentId: string;

const at = (day: number) => new Date(`2026-11-${String(day).padStart(2, '0')}T10:00:00Z`);

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  const db = app.database.db;
  owner = await app.signUp('Listing');
  stranger = await app.signUp('Stranger');
  w = await workspaceFixture(db, owner.workspaceId);
  const ada = await insertContact(db, w, 'Ada Lovelace');
  const bob = await insertContact(db, w, 'Bob Stone');
  adaId = ada.id;
  const deal = await insertDeal(db, w, ada.id);
  dealId = deal.id;
  stripeId = (await insertMethod(db, w, 'Stripe live')).id;

  const dealLink = await insertLink(db, w, {
    contactId: ada.id,
    dealId: deal.id,
    description: 'Piano course',
  });
  const bobLink = await insertLink(db, w, {
    contactId: bob.id,
    description: '100% discount_code',
    payerName: 'Zed Payer',
    payerEmail: 'zed@pay.example',
    methodId: stripeId,
  });
  const yenLink = await insertLink(db, w, {
    contactId: bob.id,
    amountMinor: 5000n,
    currency: 'JPY',
    description: 'Tea',
  });
  ids.processing = (await insertPayment(db, w, dealLink, { createdAt: at(1) })).id;
  ids.complete = (await insertPayment(db, w, dealLink, { createdAt: at(2), status: 'complete' })).id;
  ids.confirmed = (
    await insertPayment(db, w, bobLink, { createdAt: at(3), status: 'confirmed_by_team_member' })
  ).id;
  ids.cancelled = (
    await insertPayment(db, w, bobLink, { createdAt: at(4), status: 'cancelled', amountMinor: 999n })
  ).id;
  ids.returned = (
    await insertPayment(db, w, dealLink, { createdAt: at(5), status: 'returned', amountMinor: 100_000n })
  ).id;
  ids.yen = (await insertPayment(db, w, yenLink, { createdAt: at(6) })).id;

  const sw = await workspaceFixture(db, stranger.workspaceId);
  const sc = await insertContact(db, sw, 'Ada Lovelace');
  const sl = await insertLink(db, sw, { contactId: sc.id, description: 'Piano course' });
  foreignPaymentId = (await insertPayment(db, sw, sl, { createdAt: at(7) })).id;
});
afterAll(() => app.close());

async function list(query: string, member = owner) {
  const response = await app.call(member, 'GET', `/api/payments${query}`);
  const body: any = await response.json();
  return { status: response.status, body, ids: (body.items ?? []).map((p: { id: string }) => p.id) };
}

describe('GET /api/payments', () => {
  it('lists the workspace payments newest first, with names, money and labels', async () => {
    const { status, body, ids: got } = await list('');
    expect(status).toBe(200);
    expect(got).toEqual([ids.yen, ids.returned, ids.cancelled, ids.confirmed, ids.complete, ids.processing]);
    expect(got).not.toContain(foreignPaymentId);
    expect(body.items[0]).toMatchObject({
      amount: { amount: '5000', currency: 'JPY' },
      statusLabel: 'Processing',
    });
    const confirmed = body.items.find((p: any) => p.id === ids.confirmed);
    expect(confirmed).toMatchObject({
      status: 'confirmed_by_team_member',
      statusLabel: 'Confirmed by team member',
      amount: { amount: '125.00', currency: 'EUR' },
      description: '100% discount_code',
      method: { id: stripeId, displayName: 'Stripe live', providerId: 'stripe' },
      contact: { name: 'Bob Stone' },
      dealId: null,
      late: false,
      duplicate: false,
      createdAt: '2026-11-03T10:00:00.000Z',
    });
  });

  it('filters by one status, several, and "completed"', async () => {
    expect((await list('?status=processing')).ids).toEqual([ids.yen, ids.processing]);
    expect((await list('?status=completed')).ids).toEqual([ids.confirmed, ids.complete]);
    expect((await list('?status=cancelled&status=returned')).ids).toEqual([ids.returned, ids.cancelled]);
  });

  it('filters by method, contact, deal, currency and date range', async () => {
    expect((await list(`?methodId=${stripeId}`)).ids).toEqual([ids.cancelled, ids.confirmed]);
    expect((await list(`?contactId=${adaId}`)).ids).toEqual([ids.returned, ids.complete, ids.processing]);
    expect((await list(`?dealId=${dealId}&status=completed`)).ids).toEqual([ids.complete]);
    expect((await list('?currency=jpy')).ids).toEqual([ids.yen]);
    const range = `?from=${encodeURIComponent('2026-11-02T10:00:00Z')}&to=${encodeURIComponent('2026-11-04T10:00:00+00:00')}`;
    expect((await list(range)).ids).toEqual([ids.confirmed, ids.complete]);
  });

  it('filters by amount range within one currency', async () => {
    expect((await list('?currency=EUR&minAmount=10&maxAmount=125')).ids).toEqual([
      ids.confirmed,
      ids.complete,
      ids.processing,
    ]);
    expect((await list('?currency=EUR&maxAmount=9.99')).ids).toEqual([ids.cancelled]);
    expect((await list('?currency=EUR&minAmount=1000.00')).ids).toEqual([ids.returned]);
  });

  it('searches description, payer name and email, and contact name; % and _ match literally', async () => {
    expect((await list('?q=piano')).ids).toEqual([ids.returned, ids.complete, ids.processing]);
    expect((await list('?q=ZED')).ids).toEqual([ids.cancelled, ids.confirmed]);
    expect((await list('?q=pay.example')).ids).toEqual([ids.cancelled, ids.confirmed]);
    expect((await list('?q=bob')).ids).toEqual([ids.yen, ids.cancelled, ids.confirmed]);
    expect((await list('?q=100%25')).ids).toEqual([ids.cancelled, ids.confirmed]);
    expect((await list('?q=t_a')).ids).toEqual([]);
    expect((await list('?q=%25')).ids).toEqual([ids.cancelled, ids.confirmed]);
  });

  it('pages with a keyset cursor without repeats or gaps', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await list(`?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.ids);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([ids.yen, ids.returned, ids.cancelled, ids.confirmed, ids.complete, ids.processing]);
  });

  it("keeps each workspace's payments to itself", async () => {
    expect((await list('', stranger)).ids).toEqual([foreignPaymentId]);
    expect((await list(`?contactId=${adaId}`, stranger)).ids).toEqual([]);
  });

  it.each([
    ['?status=paid', 'status'],
    ['?methodId=not-a-uuid', 'methodId'],
    ['?from=yesterday', 'from'],
    ['?to=2026-13-01T00:00:00Z', 'to'],
    ['?minAmount=10', 'currency'],
    ['?currency=EUR&minAmount=1.234', 'minAmount'],
    ['?currency=EUR&maxAmount=-5', 'maxAmount'],
    ['?currency=EUR&minAmount=abc', 'minAmount'],
    ['?currency=XYZ', 'currency'],
    ['?currency=EUR&minAmount=10&maxAmount=5', 'maxAmount'],
    ['?from=2026-11-05T00:00:00Z&to=2026-11-01T00:00:00Z', 'to'],
    [`?q=${'x'.repeat(201)}`, 'q'],
    [`?currency=EUR&minAmount=${'9'.repeat(41)}`, 'minAmount'],
    ['?limit=0', 'limit'],
    ['?limit=abc', 'limit'],
    ['?cursor=garbage', 'cursor'],
  ])('refuses %s with a 422 naming %s', async (query, field) => {
    const response = await app.call(owner, 'GET', `/api/payments${query}`);
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(((await response.json()) as any).field).toBe(field);
  });

  it('answers 401 without a session', async () => {
    expect((await app.call(null, 'GET', '/api/payments')).status).toBe(401);
  });
});
