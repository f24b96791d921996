import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database';
import {
  contacts,
  deals,
  idempotencyKeys,
  paymentEvents,
  paymentLinks,
  paymentMethods,
  payments,
  pipelineStages,
  stageAutomations,
  webhookReceipts,
} from './schema/index';
import { seedWorkspace } from './test-support/seed';
import { openTestDatabase } from './testing/index';

// Above Number.MAX_SAFE_INTEGER: a driver that goes through a JS number would change it.
const HUGE = 2n ** 63n - 1n;
const ABOVE_2_53 = 2n ** 53n + 1n;

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());

describe('each aggregate reads back what was written', () => {
  it('workspace, contact, pipeline with ordered stages, deal with bigint money', async () => {
    const { db } = database;
    const seed = await seedWorkspace(db);
    const [contact] = await db.select().from(contacts).where(eq(contacts.id, seed.contact.id));
    expect(contact).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com', phone: '+31612345678' });
    expect(contact!.createdAt).toBeInstanceOf(Date);

    const stages = await db
      .select()
      .from(pipelineStages)
      .where(eq(pipelineStages.pipelineId, seed.pipeline.id))
      .orderBy(pipelineStages.position);
    expect(stages.map((stage) => stage.name)).toEqual(['Lead', 'Won']);

    await db.update(deals).set({ amountMinor: HUGE, currency: 'JPY' }).where(eq(deals.id, seed.deal.id));
    const [deal] = await db.select().from(deals).where(eq(deals.id, seed.deal.id));
    expect(deal!.amountMinor).toBe(HUGE);
    expect(deal!.currency).toBe('JPY');
  });

  it('payment method keeps the encrypted credential bytes exactly', async () => {
    const { db } = database;
    const seed = await seedWorkspace(db);
    const ciphertext = new Uint8Array(256).map((_, i) => 255 - i);
    await db
      .update(paymentMethods)
      .set({ credentialsCiphertext: ciphertext, mode: 'live', enabled: false })
      .where(eq(paymentMethods.id, seed.method.id));
    const [method] = await db.select().from(paymentMethods).where(eq(paymentMethods.id, seed.method.id));
    expect(new Uint8Array(method!.credentialsCiphertext)).toEqual(ciphertext);
    expect(new Uint8Array(method!.credentialsIv)).toEqual(new Uint8Array(12));
    expect(method).toMatchObject({ mode: 'live', enabled: false, providerId: 'sandbox' });
  });

  it('payment link with defaults, type option and expiry', async () => {
    const { db } = database;
    const seed = await seedWorkspace(db);
    const expiresAt = new Date('2030-01-02T03:04:05Z');
    await db
      .update(paymentLinks)
      .set({ amountMinor: ABOVE_2_53, typeOption: { courseId: 'c1' }, validityDays: 7, expiresAt })
      .where(eq(paymentLinks.id, seed.link.id));
    const [link] = await db.select().from(paymentLinks).where(eq(paymentLinks.token, seed.link.token));
    expect(link).toMatchObject({
      type: 'custom',
      origin: 'deal',
      amountMinor: ABOVE_2_53,
      currency: 'EUR',
      typeOption: { courseId: 'c1' },
      validityDays: 7,
      deletedAt: null,
    });
    expect(link!.expiresAt!.toISOString()).toBe(expiresAt.toISOString());
  });

  it('payment, its audit events, a webhook receipt, an automation and an idempotency key', async () => {
    const { db } = database;
    const seed = await seedWorkspace(db);
    const ws = seed.workspace.id;
    const payment = await db.transaction(async (tx) => {
      const [created] = await tx
        .insert(payments)
        .values({
          workspaceId: ws,
          linkId: seed.link.id,
          contactId: seed.contact.id,
          dealId: seed.deal.id,
          methodId: seed.method.id,
          amountMinor: HUGE,
          currency: 'KWD',
          description: 'Course fee',
          clickedAt: new Date(),
        })
        .returning();
      await tx.insert(paymentEvents).values({
        workspaceId: ws,
        paymentId: created!.id,
        toStatus: 'processing',
        source: 'click_through',
      });
      return created!;
    });
    expect(payment).toMatchObject({ status: 'processing', isLate: false, amountMinor: HUGE });

    await db
      .insert(webhookReceipts)
      .values({ workspaceId: ws, methodId: seed.method.id, providerEventId: 'evt_1' });
    await db.insert(paymentEvents).values({
      workspaceId: ws,
      paymentId: payment.id,
      fromStatus: 'processing',
      toStatus: 'complete',
      source: 'webhook',
      providerEventId: 'evt_1',
      payload: { amount: '9223372036854775807' },
    });
    const events = await db
      .select()
      .from(paymentEvents)
      .where(eq(paymentEvents.paymentId, payment.id))
      .orderBy(paymentEvents.createdAt);
    expect(events.map((event) => [event.fromStatus, event.toStatus, event.source])).toEqual([
      [null, 'processing', 'click_through'],
      ['processing', 'complete', 'webhook'],
    ]);

    await db.insert(stageAutomations).values({
      workspaceId: ws,
      pipelineId: seed.pipeline.id,
      status: 'complete',
      targetStageId: seed.stages.won.id,
    });
    const [automation] = await db.select().from(stageAutomations).where(eq(stageAutomations.workspaceId, ws));
    expect(automation).toMatchObject({ status: 'complete', targetStageId: seed.stages.won.id });

    await db
      .insert(idempotencyKeys)
      .values({ workspaceId: ws, key: 'k1', requestHash: 'h', responseStatus: 201, responseBody: { id: 1 } });
    const [key] = await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.workspaceId, ws));
    expect(key).toMatchObject({ key: 'k1', responseStatus: 201, responseBody: { id: 1 } });
  });

  it('a failed transaction leaves nothing behind', async () => {
    const { db } = database;
    const seed = await seedWorkspace(db);
    await expect(
      db.transaction(async (tx) => {
        await tx.update(deals).set({ title: 'changed' }).where(eq(deals.id, seed.deal.id));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const [deal] = await db.select().from(deals).where(eq(deals.id, seed.deal.id));
    expect(deal!.title).toBe('Course');
  });
});
