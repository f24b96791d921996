import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertContact,
  insertLink,
  insertPayment,
  type WorkspaceFixture,
  workspaceFixture,
} from '../payments/payments-fixtures.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { pipelinesOf } from './deal-fixtures.js';

let app: TestApp;
let owner: TestMember;
let stranger: TestMember;
let w: WorkspaceFixture;
let contactId: string;
let strangerContactId: string;
let sales: any;
let renewals: any;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Acme');
  stranger = await app.signUp('Other Co');
  const { db } = app.database;
  w = await workspaceFixture(db, owner.workspaceId);
  contactId = (await insertContact(db, w, 'Ada Lovelace')).id;
  strangerContactId = (
    await insertContact(db, await workspaceFixture(db, stranger.workspaceId), 'Their Contact')
  ).id;
  [sales] = await pipelinesOf(app, owner);
  renewals = await (
    await app.call(owner, 'POST', '/api/pipelines', { name: 'Renewals', stages: ['Due', 'Paid'] })
  ).json();
});
afterAll(() => app.close());

async function createDeal(body: Record<string, unknown>) {
  const response = await app.call(owner, 'POST', '/api/deals', { title: 'Website', contactId, ...body });
  expect(response.status).toBe(201);
  return (await response.json()) as any;
}

describe('creating a deal', () => {
  it('goes to the first stage of the default pipeline when no place is named', async () => {
    const deal = await createDeal({
      title: '  Annual plan  ',
      amount: { amount: '1200.5', currency: 'EUR' },
    });
    expect(deal).toMatchObject({
      title: 'Annual plan',
      contact: { id: contactId, name: 'Ada Lovelace' },
      pipelineId: sales.id,
      stageId: sales.stages[0].id,
      amount: { amount: '1200.50', currency: 'EUR' },
      createdAt: app.clock.now().toISOString(),
    });
    expect(await (await app.call(owner, 'GET', `/api/deals/${deal.id}`)).json()).toEqual(deal);
  });

  it('goes to the first stage of a named pipeline, or to a named stage and its pipeline', async () => {
    expect(await createDeal({ pipelineId: renewals.id })).toMatchObject({
      pipelineId: renewals.id,
      stageId: renewals.stages[0].id,
      amount: null,
    });
    expect(await createDeal({ stageId: renewals.stages[1].id })).toMatchObject({
      pipelineId: renewals.id,
      stageId: renewals.stages[1].id,
    });
    expect(await createDeal({ pipelineId: sales.id, stageId: sales.stages[2].id })).toMatchObject({
      stageId: sales.stages[2].id,
    });
  });

  it('keeps zero- and three-decimal currencies exact', async () => {
    expect((await createDeal({ amount: { amount: '1500', currency: 'JPY' } })).amount).toEqual({
      amount: '1500',
      currency: 'JPY',
    });
    expect((await createDeal({ amount: { amount: '1.005', currency: 'KWD' } })).amount).toEqual({
      amount: '1.005',
      currency: 'KWD',
    });
  });

  it.each([
    [
      'an over-precise amount',
      { amount: { amount: '10.5', currency: 'JPY' } },
      'amount_too_precise',
      'amount.amount',
    ],
    ['a negative amount', { amount: { amount: '-1', currency: 'EUR' } }, 'negative_amount', 'amount.amount'],
    ['a float amount', { amount: { amount: 10.5, currency: 'EUR' } }, 'validation_failed', 'amount.amount'],
    [
      'an amount with a comma',
      { amount: { amount: '1,50', currency: 'EUR' } },
      'invalid_amount',
      'amount.amount',
    ],
    [
      'an unknown currency',
      { amount: { amount: '1', currency: 'XYZ' } },
      'unknown_currency',
      'amount.currency',
    ],
    [
      'a huge amount',
      { amount: { amount: '9'.repeat(30), currency: 'EUR' } },
      'amount_too_large',
      'amount.amount',
    ],
    ['a missing title', { title: undefined }, 'validation_failed', 'title'],
    ['a blank title', { title: ' ' }, 'validation_failed', 'title'],
    ['a huge title', { title: 't'.repeat(10_000) }, 'validation_failed', 'title'],
    ['a title of the wrong type', { title: ['x'] }, 'validation_failed', 'title'],
    ['a missing contact', { contactId: undefined }, 'validation_failed', 'contactId'],
    ['a contact id of the wrong shape', { contactId: 'ada' }, 'validation_failed', 'contactId'],
    ['a stage id of the wrong shape', { stageId: 12 }, 'validation_failed', 'stageId'],
    [
      'a stage of another pipeline',
      { pipelineId: 'SALES', stageId: 'RENEWALS' },
      'stage_not_in_pipeline',
      'stageId',
    ],
  ])('refuses %s with 422', async (_, overrides, code, field) => {
    const body = JSON.parse(
      JSON.stringify({ title: 'Deal', contactId, ...overrides })
        .replace('"SALES"', JSON.stringify(sales.id))
        .replace('"RENEWALS"', JSON.stringify(renewals.stages[0].id)),
    );
    const response = await app.call(owner, 'POST', '/api/deals', body);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code, field });
  });

  it("answers 404 for another workspace's contact, pipeline or stage, and an unknown stage", async () => {
    const [theirs] = await pipelinesOf(app, stranger);
    const cases: [Record<string, unknown>, string][] = [
      [{ contactId: strangerContactId }, 'contactId'],
      [{ pipelineId: theirs.id }, 'pipelineId'],
      [{ stageId: theirs.stages[0].id }, 'stageId'],
      [{ stageId: '00000000-0000-4000-8000-000000000000' }, 'stageId'],
    ];
    for (const [overrides, field] of cases) {
      const response = await app.call(owner, 'POST', '/api/deals', {
        title: 'Deal',
        contactId,
        ...overrides,
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'not_found', field });
    }
  });
});

describe('reading, updating and deleting a deal', () => {
  it("answers 404 for another workspace's deal on every route, and never changes it", async () => {
    const deal = await createDeal({ title: 'Private' });
    const path = `/api/deals/${deal.id}`;
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['PATCH', '', { title: 'Hijacked' }],
      ['POST', '/move', { stageId: sales.stages[1].id }],
      ['DELETE', '', undefined],
    ] as const) {
      const response = await app.call(stranger, method, path + suffix, body);
      expect(response.status, `${method} ${suffix}`).toBe(404);
      expect(await response.text()).not.toContain('Private');
    }
    expect(await (await app.call(owner, 'GET', path)).json()).toEqual(deal);
    expect((await app.call(owner, 'GET', '/api/deals/42')).status).toBe(422);
  });

  it('updates the title, contact and amount, and clears the amount with null', async () => {
    const deal = await createDeal({ amount: { amount: '10', currency: 'EUR' } });
    const otherContact = (await insertContact(app.database.db, w, 'Charles Babbage')).id;
    app.clock.set(new Date(app.clock.now().getTime() + 5000));
    const response = await app.call(owner, 'PATCH', `/api/deals/${deal.id}`, {
      title: 'Bigger website',
      contactId: otherContact,
      amount: { amount: '99.99', currency: 'USD' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      title: 'Bigger website',
      contact: { id: otherContact, name: 'Charles Babbage' },
      amount: { amount: '99.99', currency: 'USD' },
      stageId: deal.stageId,
      createdAt: deal.createdAt,
      updatedAt: app.clock.now().toISOString(),
    });
    const cleared: any = await (
      await app.call(owner, 'PATCH', `/api/deals/${deal.id}`, { amount: null })
    ).json();
    expect(cleared).toMatchObject({ title: 'Bigger website', amount: null });
  });

  it('refuses an empty update, a stage change, bad values and a foreign contact', async () => {
    const deal = await createDeal({ title: 'Untouched' });
    const path = `/api/deals/${deal.id}`;
    for (const body of [
      {},
      { stageId: sales.stages[1].id },
      { title: '' },
      { amount: { amount: '1.234', currency: 'EUR' } },
    ]) {
      expect((await app.call(owner, 'PATCH', path, body)).status, JSON.stringify(body)).toBe(422);
    }
    const foreign = await app.call(owner, 'PATCH', path, { contactId: strangerContactId });
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ field: 'contactId' });
    expect(await (await app.call(owner, 'GET', path)).json()).toEqual(deal);
  });

  it('deletes a deal without payments', async () => {
    const deal = await createDeal({});
    expect((await app.call(owner, 'DELETE', `/api/deals/${deal.id}`)).status).toBe(204);
    expect((await app.call(owner, 'GET', `/api/deals/${deal.id}`)).status).toBe(404);
  });

  it('refuses to delete a deal with payments or payment links', async () => {
    const { db } = app.database;
    const deposit = { contactId, amountMinor: 1000n, description: 'Deposit' };
    const paid = await createDeal({ title: 'Paid' });
    await insertPayment(db, w, await insertLink(db, w, { ...deposit, dealId: paid.id }));
    const refused = await app.call(owner, 'DELETE', `/api/deals/${paid.id}`);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ code: 'deal_has_payments' });
    const linked = await createDeal({ title: 'Linked' });
    await insertLink(db, w, { ...deposit, dealId: linked.id });
    const alsoRefused = await app.call(owner, 'DELETE', `/api/deals/${linked.id}`);
    expect(alsoRefused.status).toBe(409);
    expect(await alsoRefused.json()).toMatchObject({ code: 'deal_has_payment_links' });
    expect((await app.call(owner, 'GET', `/api/deals/${paid.id}`)).status).toBe(200);
  });
});
