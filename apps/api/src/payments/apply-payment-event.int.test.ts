import { deals, paymentEvents, paymentLinks, payments } from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../testing/test-app.js';
import { applyPaymentEvent, type PaymentEventInput } from './apply-payment-event.js';
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
let w: WorkspaceFixture;
const now = new Date('2026-11-26T12:00:00Z');

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  const owner = await app.signUp('Apply');
  w = await workspaceFixture(app.database.db, owner.workspaceId);
  await setAutomation(app.database.db, w, 'complete', 'Won');
  await setAutomation(app.database.db, w, 'confirmed_by_team_member', 'Won');
  await setAutomation(app.database.db, w, 'returned', 'Lost');
});
afterAll(() => app.close());

const apply = (input: PaymentEventInput) => applyPaymentEvent(app.database.db, input, app.logger);

async function dealPayment() {
  const db = app.database.db;
  const contact = await insertContact(db, w);
  const deal = await insertDeal(db, w, contact.id);
  const link = await insertLink(db, w, { contactId: contact.id, dealId: deal.id });
  const payment = await insertPayment(db, w, link);
  return { contact, deal, link, payment };
}

const event = (
  paymentId: string,
  status: PaymentEventInput['status'],
  extra: Partial<PaymentEventInput> = {},
) =>
  ({
    workspaceId: w.workspaceId,
    paymentId,
    status,
    source: 'webhook',
    actor: 'sandbox',
    now,
    ...extra,
  }) as const;

async function state(paymentId: string, dealId: string, linkId: string) {
  const db = app.database.db;
  const [payment] = await db.select().from(payments).where(eq(payments.id, paymentId));
  const [deal] = await db.select().from(deals).where(eq(deals.id, dealId));
  const [link] = await db.select().from(paymentLinks).where(eq(paymentLinks.id, linkId));
  const events = await db
    .select()
    .from(paymentEvents)
    .where(eq(paymentEvents.paymentId, paymentId))
    .orderBy(asc(paymentEvents.createdAt));
  return { payment: payment!, deal: deal!, link: link!, events };
}

describe('applyPaymentEvent', () => {
  it('applies a success once: status, audit row, link off the deal, deal moved by automation', async () => {
    const { deal, link, payment } = await dealPayment();
    const result = await apply(event(payment.id, 'complete', { providerEventId: 'evt_1' }));
    expect(result).toMatchObject({
      kind: 'applied',
      from: 'processing',
      to: 'complete',
      effects: { linkRemovedFromDeal: true, dealMovedToStageId: w.stages.Won, late: false, duplicate: false },
    });
    const after = await state(payment.id, deal.id, link.id);
    expect(after.payment.status).toBe('complete');
    expect(after.deal.stageId).toBe(w.stages.Won);
    expect(after.link.removedFromDealAt).toEqual(now);
    expect(after.events.at(-1)).toMatchObject({
      fromStatus: 'processing',
      toStatus: 'complete',
      source: 'webhook',
      actor: 'sandbox',
      providerEventId: 'evt_1',
    });
  });

  it('the same confirmation twice at once makes one transition and one stage move', async () => {
    const { deal, link, payment } = await dealPayment();
    const confirm = () =>
      apply(event(payment.id, 'confirmed_by_team_member', { source: 'team_member', actor: 'user-1' }));
    const results = await Promise.all([confirm(), confirm(), confirm()]);
    expect(results.map((r) => r.kind).sort()).toEqual(['applied', 'duplicate', 'duplicate']);
    const after = await state(payment.id, deal.id, link.id);
    expect(after.events.filter((e) => e.toStatus === 'confirmed_by_team_member')).toHaveLength(1);
    expect(after.deal.stageId).toBe(w.stages.Won);
    const moves = after.events.filter((e) => (e.payload as any)?.effects?.dealMovedToStageId);
    expect(moves).toHaveLength(1);
  });

  it('does not move a deal that is already in the target stage', async () => {
    const { deal, payment } = await dealPayment();
    await app.database.db.update(deals).set({ stageId: w.stages.Won! }).where(eq(deals.id, deal.id));
    const result = await apply(event(payment.id, 'complete'));
    expect(result).toMatchObject({ kind: 'applied', effects: { dealMovedToStageId: null } });
  });

  it('ignores a late processing or cancellation (stale) and refuses a confirmation after completion', async () => {
    const { deal, link, payment } = await dealPayment();
    await apply(event(payment.id, 'complete'));
    expect(await apply(event(payment.id, 'processing'))).toMatchObject({
      kind: 'stale',
      status: 'complete',
    });
    expect(await apply(event(payment.id, 'cancelled'))).toMatchObject({
      kind: 'stale',
    });
    const refused = await apply(event(payment.id, 'confirmed_by_team_member'));
    expect(refused).toMatchObject({
      kind: 'refused',
      status: 'complete',
      received: 'confirmed_by_team_member',
    });
    const after = await state(payment.id, deal.id, link.id);
    expect(after.payment.status).toBe('complete');
    expect(after.events.at(-1)).toMatchObject({ fromStatus: 'complete', toStatus: null });
    expect(app.logger.lines.some((l) => l.message === 'payment event refused')).toBe(true);
  });

  it('keeps an early refund and applies it once the success arrives', async () => {
    const { deal, link, payment } = await dealPayment();
    const early = await apply(event(payment.id, 'returned', { providerEventId: 'refund_1' }));
    expect(early).toMatchObject({ kind: 'pending', status: 'processing', received: 'returned' });
    expect((await state(payment.id, deal.id, link.id)).payment.status).toBe('processing');

    const success = await apply(event(payment.id, 'complete'));
    expect(success).toMatchObject({ kind: 'applied', to: 'complete', status: 'returned' });
    const after = await state(payment.id, deal.id, link.id);
    expect(after.payment.status).toBe('returned');
    expect(after.deal.stageId).toBe(w.stages.Lost);
    expect(after.events.at(-1)).toMatchObject({
      fromStatus: 'complete',
      toStatus: 'returned',
      providerEventId: 'refund_1',
    });
    // Settled once: another change has nothing left waiting.
    expect(await apply(event(payment.id, 'complete'))).toMatchObject({
      kind: 'stale',
    });
  });

  it('flags a success on an expired or deleted link as late, and keeps a contact link on its contact', async () => {
    const db = app.database.db;
    const contact = await insertContact(db, w);
    const expired = await insertLink(db, w, {
      contactId: contact.id,
      expiresAt: new Date('2026-11-01T00:00:00Z'),
    });
    const deleted = await insertLink(db, w, {
      contactId: contact.id,
      deletedAt: new Date('2026-11-02T00:00:00Z'),
    });
    const fresh = await insertLink(db, w, { contactId: contact.id });
    for (const [link, late] of [
      [expired, true],
      [deleted, true],
      [fresh, false],
    ] as const) {
      const payment = await insertPayment(db, w, link);
      const result = await apply(event(payment.id, 'complete'));
      expect(result).toMatchObject({ kind: 'applied', effects: { late, linkRemovedFromDeal: false } });
      const [row] = await db.select().from(payments).where(eq(payments.id, payment.id));
      expect(row!.isLate).toBe(late);
    }
  });

  it("answers not_found for another workspace's payment and changes nothing", async () => {
    const { payment } = await dealPayment();
    const other = await app.signUp('Other');
    const result = await apply({
      ...event(payment.id, 'complete'),
      workspaceId: other.workspaceId,
    });
    expect(result).toEqual({ kind: 'not_found' });
    const [row] = await app.database.db
      .select()
      .from(payments)
      .where(and(eq(payments.id, payment.id)));
    expect(row!.status).toBe('processing');
  });
});
