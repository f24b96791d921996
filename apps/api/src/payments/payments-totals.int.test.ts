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
let adaId: string;
let dealId: string;
let stripeId: string;

const at = (day: number) => new Date(`2026-11-${String(day).padStart(2, '0')}T10:00:00Z`);

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  const db = app.database.db;
  owner = await app.signUp('Totals');
  stranger = await app.signUp('Stranger');
  w = await workspaceFixture(db, owner.workspaceId);
  const ada = await insertContact(db, w, 'Ada Lovelace');
  const bob = await insertContact(db, w, 'Bob Stone');
  adaId = ada.id;
  dealId = (await insertDeal(db, w, ada.id)).id;
  stripeId = (await insertMethod(db, w, 'Stripe live')).id;

  const dealLink = await insertLink(db, w, { contactId: ada.id, dealId, description: 'Piano course' });
  const bobLink = await insertLink(db, w, {
    contactId: bob.id,
    description: 'Violin',
    payerName: 'Zed Payer',
    methodId: stripeId,
  });
  const yenLink = await insertLink(db, w, { contactId: bob.id, amountMinor: 5000n, currency: 'JPY' });
  const dinarLink = await insertLink(db, w, { contactId: bob.id, amountMinor: 1n, currency: 'KWD' });

  // EUR: 125.00 processing, 125.00 complete, 10.01 confirmed, 9.99 cancelled, 1000.00 returned.
  await insertPayment(db, w, dealLink, { createdAt: at(1) });
  await insertPayment(db, w, dealLink, { createdAt: at(2), status: 'complete' });
  await insertPayment(db, w, bobLink, {
    createdAt: at(3),
    status: 'confirmed_by_team_member',
    amountMinor: 1001n,
  });
  await insertPayment(db, w, bobLink, { createdAt: at(4), status: 'cancelled', amountMinor: 999n });
  await insertPayment(db, w, dealLink, { createdAt: at(5), status: 'returned', amountMinor: 100_000n });
  // JPY: 5000 twice; KWD: 0.001, then the largest single amount twice, past any one payment's bound.
  await insertPayment(db, w, yenLink, { createdAt: at(6), status: 'complete' });
  await insertPayment(db, w, yenLink, { createdAt: at(7), status: 'complete' });
  await insertPayment(db, w, dinarLink, { createdAt: at(8), status: 'complete' });
  await insertPayment(db, w, dinarLink, { createdAt: at(9), amountMinor: 9_007_199_254_740_991n });
  await insertPayment(db, w, dinarLink, { createdAt: at(10), amountMinor: 9_007_199_254_740_991n });

  const sw = await workspaceFixture(db, stranger.workspaceId);
  const sc = await insertContact(db, sw, 'Ada Lovelace');
  const sl = await insertLink(db, sw, { contactId: sc.id, description: 'Piano course' });
  await insertPayment(db, sw, sl, { createdAt: at(11), status: 'complete', amountMinor: 777n });
});
afterAll(() => app.close());

async function totals(query: string, member = owner) {
  const response = await app.call(member, 'GET', `/api/payments/totals${query}`);
  return { status: response.status, body: (await response.json()) as any };
}

const total = (amount: string, currency: string, count: number) => ({ amount: { amount, currency }, count });

describe('GET /api/payments/totals', () => {
  it('adds up every payment per currency, in that currency’s own precision, by currency code', async () => {
    const { status, body } = await totals('');
    expect(status).toBe(200);
    expect(body.totals).toEqual([
      total('1270.00', 'EUR', 5),
      total('10000', 'JPY', 2),
      // Two of the largest single amount plus 0.001: exact, no float on the way.
      total('18014398509481.983', 'KWD', 3),
    ]);
  });

  it('adds up only what the filter lists: "completed", several statuses, method, contact, deal', async () => {
    expect((await totals('?status=completed&currency=EUR')).body.totals).toEqual([total('135.01', 'EUR', 2)]);
    expect((await totals('?status=cancelled&status=returned')).body.totals).toEqual([
      total('1009.99', 'EUR', 2),
    ]);
    expect((await totals(`?methodId=${stripeId}`)).body.totals).toEqual([total('20.00', 'EUR', 2)]);
    expect((await totals(`?contactId=${adaId}`)).body.totals).toEqual([total('1250.00', 'EUR', 3)]);
    expect((await totals(`?dealId=${dealId}&status=complete`)).body.totals).toEqual([
      total('125.00', 'EUR', 1),
    ]);
  });

  it('honours the date range, the amount range and the text search', async () => {
    const range = `?from=${encodeURIComponent('2026-11-02T10:00:00Z')}&to=${encodeURIComponent('2026-11-07T10:00:00Z')}`;
    expect((await totals(range)).body.totals).toEqual([total('1145.00', 'EUR', 4), total('5000', 'JPY', 1)]);
    expect((await totals('?currency=EUR&minAmount=10&maxAmount=125')).body.totals).toEqual([
      total('260.01', 'EUR', 3),
    ]);
    expect((await totals('?q=zed')).body.totals).toEqual([total('20.00', 'EUR', 2)]);
  });

  it('answers an empty list when nothing matches, and never counts another workspace', async () => {
    expect((await totals('?q=nothing-matches-this')).body.totals).toEqual([]);
    expect((await totals('', stranger)).body.totals).toEqual([total('7.77', 'EUR', 1)]);
    expect((await totals(`?contactId=${adaId}`, stranger)).body.totals).toEqual([]);
  });

  it.each([
    ['?status=paid', 'status'],
    ['?minAmount=10', 'currency'],
    ['?currency=EUR&minAmount=10&maxAmount=5', 'maxAmount'],
    ['?from=2026-11-05T00:00:00Z&to=2026-11-01T00:00:00Z', 'to'],
  ])('refuses %s with a 422 naming %s, like the list', async (query, field) => {
    const response = await app.call(owner, 'GET', `/api/payments/totals${query}`);
    expect(response.status).toBe(422);
    expect(((await response.json()) as any).field).toBe(field);
  });

  it('answers 401 without a session', async () => {
    expect((await app.call(null, 'GET', '/api/payments/totals')).status).toBe(401);
  });
});
