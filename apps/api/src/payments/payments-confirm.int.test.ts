import { deals, paymentLinks, payments } from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { applyPaymentEvent } from './apply-payment-event.js';
import {
  insertContact,
  insertDeal,
  insertLink,
  insertPayment,
  setAutomation,
  type WorkspaceFixture,
  workspaceFixture,
} from './payments-fixtures.js';

let app: TestApp;
let owner: TestMember;
let stranger: TestMember;
let w: WorkspaceFixture;

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Confirming');
  stranger = await app.signUp('Stranger');
  w = await workspaceFixture(app.database.db, owner.workspaceId);
  await setAutomation(app.database.db, w, 'confirmed_by_team_member', 'Won');
});
afterAll(() => app.close());

async function dealSetup() {
  const db = app.database.db;
  const contact = await insertContact(db, w);
  const deal = await insertDeal(db, w, contact.id);
  const link = await insertLink(db, w, { contactId: contact.id, dealId: deal.id });
  return { contact, deal, link };
}

const row = async <T>(query: Promise<T[]>) => (await query)[0]!;

describe('POST /api/payments/{id}/confirm', () => {
  it('turns a Processing payment into Confirmed by team member, with who, when, note and timeline', async () => {
    const { deal, link } = await dealSetup();
    const payment = await insertPayment(app.database.db, w, link);
    const response = await app.call(owner, 'POST', `/api/payments/${payment.id}/confirm`, {
      note: 'Paid by bank transfer',
      reference: 'NL-2026-0042',
    });
    expect(response.status).toBe(200);
    const body: any = await response.json();
    expect(body).toMatchObject({
      status: 'confirmed_by_team_member',
      statusLabel: 'Confirmed by team member',
      confirmedBy: { id: owner.userId, name: 'Ada Owner' },
      confirmedAt: '2026-11-26T12:00:00.000Z',
      confirmationNote: 'Paid by bank transfer',
      confirmationReference: 'NL-2026-0042',
    });
    expect(body.events).toEqual([
      expect.objectContaining({ from: null, to: 'processing', outcome: 'created', source: 'click_through' }),
      expect.objectContaining({
        from: 'processing',
        to: 'confirmed_by_team_member',
        outcome: 'applied',
        source: 'team_member',
        actor: { id: owner.userId, name: 'Ada Owner' },
        note: 'Paid by bank transfer',
        reference: 'NL-2026-0042',
        at: '2026-11-26T12:00:00.000Z',
      }),
    ]);
    const movedDeal = await row(app.database.db.select().from(deals).where(eq(deals.id, deal.id)));
    expect(movedDeal.stageId).toBe(w.stages.Won);
    const removed = await row(
      app.database.db.select().from(paymentLinks).where(eq(paymentLinks.id, link.id)),
    );
    expect(removed.removedFromDealAt).toEqual(new Date('2026-11-26T12:00:00Z'));
  });

  it('confirms twice at once: one transition, one stage move, the other answered 409', async () => {
    const { deal, link } = await dealSetup();
    const payment = await insertPayment(app.database.db, w, link);
    const responses = await Promise.all(
      [1, 2].map(() => app.call(owner, 'POST', `/api/payments/${payment.id}/confirm`, {})),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    const detail: any = await (await app.call(owner, 'GET', `/api/payments/${payment.id}`)).json();
    expect(detail.events.filter((e: any) => e.to === 'confirmed_by_team_member')).toHaveLength(1);
    const movedDeal = await row(app.database.db.select().from(deals).where(eq(deals.id, deal.id)));
    expect(movedDeal.stageId).toBe(w.stages.Won);
  });

  it('refuses a payment that is not Processing with 409 and records the refusal', async () => {
    const { link } = await dealSetup();
    const payment = await insertPayment(app.database.db, w, link, { status: 'complete' });
    const response = await app.call(owner, 'POST', `/api/payments/${payment.id}/confirm`, {});
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: 'transition_not_allowed' });
    const detail: any = await (await app.call(owner, 'GET', `/api/payments/${payment.id}`)).json();
    expect(detail.status).toBe('complete');
    expect(detail.events.at(-1)).toMatchObject({
      to: null,
      outcome: 'refused',
      received: 'confirmed_by_team_member',
    });
  });

  it('gives a contact-link payment a deal in the default pipeline and keeps the link on the contact', async () => {
    const contact = await insertContact(app.database.db, w, 'Cleo');
    const link = await insertLink(app.database.db, w, { contactId: contact.id });
    const payment = await insertPayment(app.database.db, w, link);
    const body: any = await (await app.call(owner, 'POST', `/api/payments/${payment.id}/confirm`, {})).json();
    expect(body.dealId).toEqual(expect.any(String));
    const deal = await row(app.database.db.select().from(deals).where(eq(deals.id, body.dealId)));
    expect(deal).toMatchObject({ contactId: contact.id, pipelineId: w.pipelineId, stageId: w.stages.Won });
    const kept = await row(app.database.db.select().from(paymentLinks).where(eq(paymentLinks.id, link.id)));
    expect(kept.removedFromDealAt).toBeNull();
  });

  it("answers 404 for another workspace's payment and leaves it alone", async () => {
    const { link } = await dealSetup();
    const payment = await insertPayment(app.database.db, w, link);
    const response = await app.call(stranger, 'POST', `/api/payments/${payment.id}/confirm`, {});
    expect(response.status).toBe(404);
    expect((await app.call(stranger, 'GET', `/api/payments/${payment.id}`)).status).toBe(404);
    const untouched = await row(app.database.db.select().from(payments).where(eq(payments.id, payment.id)));
    expect(untouched.status).toBe('processing');
  });

  it.each([
    ['not-a-uuid', {}, 422],
    ['00000000-0000-4000-8000-000000000000', {}, 404],
  ])('answers id %s with %s', async (id, body, status) => {
    expect((await app.call(owner, 'POST', `/api/payments/${id}/confirm`, body)).status).toBe(status);
  });

  it.each([
    [{ note: 42 }, 'note'],
    [{ note: 'x'.repeat(1001) }, 'note'],
    [{ reference: 'x'.repeat(201) }, 'reference'],
    [{ extra: true }, 'extra'],
  ])('refuses body %j', async (body, field) => {
    const { link } = await dealSetup();
    const payment = await insertPayment(app.database.db, w, link);
    const response = await app.call(owner, 'POST', `/api/payments/${payment.id}/confirm`, body);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: 'validation_failed', field });
  });
});

describe('GET /api/payments/{id}', () => {
  it('shows provider events in the timeline with their event id, oldest first', async () => {
    const { link } = await dealSetup();
    const payment = await insertPayment(app.database.db, w, link);
    const webhook = {
      workspaceId: w.workspaceId,
      paymentId: payment.id,
      source: 'webhook',
      actor: 'sandbox',
    } as const;
    await applyPaymentEvent(
      app.database.db,
      {
        ...webhook,
        status: 'returned',
        providerEventId: 'evt_refund',
        now: new Date('2026-11-26T12:00:00Z'),
      },
      app.logger,
    );
    await applyPaymentEvent(
      app.database.db,
      { ...webhook, status: 'complete', providerEventId: 'evt_paid', now: new Date('2026-11-26T12:05:00Z') },
      app.logger,
    );
    const body: any = await (await app.call(owner, 'GET', `/api/payments/${payment.id}`)).json();
    expect(body.status).toBe('returned');
    expect(body.events.map((e: any) => [e.outcome, e.from, e.to, e.providerEventId, e.at])).toEqual([
      ['created', null, 'processing', null, '2026-11-20T10:00:00.000Z'],
      ['pending', 'processing', null, 'evt_refund', '2026-11-26T12:00:00.000Z'],
      ['applied', 'processing', 'complete', 'evt_paid', '2026-11-26T12:05:00.000Z'],
      ['applied', 'complete', 'returned', 'evt_refund', '2026-11-26T12:05:00.000Z'],
    ]);
    expect(body.events[2].actor).toEqual({ id: 'sandbox', name: null });
  });
});

describe('POST /api/payments/confirm-link', () => {
  it('creates the payment from an unopened deal link and confirms it in one go', async () => {
    const { contact, deal, link } = await dealSetup();
    const response = await app.call(owner, 'POST', '/api/payments/confirm-link', {
      linkId: link.id,
      note: 'Cash at the desk',
    });
    expect(response.status).toBe(201);
    const body: any = await response.json();
    expect(body).toMatchObject({
      status: 'confirmed_by_team_member',
      amount: { amount: '125.00', currency: 'EUR' },
      description: 'Course fee',
      contact: { id: contact.id },
      dealId: deal.id,
      linkId: link.id,
      method: { id: w.methodId },
      confirmedBy: { id: owner.userId },
      confirmationNote: 'Cash at the desk',
      late: false,
    });
    expect(body.events.map((e: any) => [e.from, e.to])).toEqual([
      [null, 'processing'],
      ['processing', 'confirmed_by_team_member'],
    ]);
    const again = await app.call(owner, 'POST', '/api/payments/confirm-link', { linkId: link.id });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'link_already_paid' });
  });

  it('accepts an expired link (flagged late) and refuses a deleted one with 410', async () => {
    const contact = await insertContact(app.database.db, w);
    const expired = await insertLink(app.database.db, w, {
      contactId: contact.id,
      expiresAt: new Date('2026-11-01T00:00:00Z'),
    });
    const response = await app.call(owner, 'POST', '/api/payments/confirm-link', { linkId: expired.id });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ status: 'confirmed_by_team_member', late: true });

    const deleted = await insertLink(app.database.db, w, {
      contactId: contact.id,
      deletedAt: new Date('2026-11-01T00:00:00Z'),
    });
    const gone = await app.call(owner, 'POST', '/api/payments/confirm-link', { linkId: deleted.id });
    expect(gone.status).toBe(410);
    expect(await gone.json()).toMatchObject({ code: 'link_deleted', field: 'linkId' });
  });

  it("answers 404 for another workspace's link and creates nothing", async () => {
    const { link } = await dealSetup();
    const response = await app.call(stranger, 'POST', '/api/payments/confirm-link', { linkId: link.id });
    expect(response.status).toBe(404);
    const made = await app.database.db.select().from(payments).where(eq(payments.linkId, link.id));
    expect(made).toEqual([]);
  });

  it.each([
    [{}, 'linkId'],
    [{ linkId: 'nope' }, 'linkId'],
    [{ linkId: 7 }, 'linkId'],
  ])('refuses body %j with 422', async (body, field) => {
    const response = await app.call(owner, 'POST', '/api/payments/confirm-link', body);
    expect(response.status).toBe(422);
    expect(((await response.json()) as any).field).toBe(field);
  });
});
