import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database';
import { isCheckViolation, isForeignKeyViolation, isUniqueViolation } from './database-errors';
import {
  contacts,
  deals,
  idempotencyKeys,
  paymentLinks,
  payments,
  stageAutomations,
  webhookReceipts,
} from './schema/index';
import { linkToken, seedWorkspace } from './test-support/seed';
import { openTestDatabase } from './testing/index';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the statement to be refused');
}

describe('uniques that deduplicate are recognisable on this driver', () => {
  it('link token', async () => {
    const { db } = database;
    const seed = await seedWorkspace(db);
    const { id: _id, createdAt: _createdAt, ...copy } = seed.link;
    const error = await rejection(db.insert(paymentLinks).values(copy));
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(error, 'payment_links_token_unique')).toBe(true);
    expect(isUniqueViolation(error, 'some_other_constraint')).toBe(false);
  });

  it('provider event id per method, but not across methods', async () => {
    const { db } = database;
    const seed = await seedWorkspace(db);
    const receipt = { workspaceId: seed.workspace.id, methodId: seed.method.id, providerEventId: 'evt_dup' };
    await db.insert(webhookReceipts).values(receipt);
    const error = await rejection(db.insert(webhookReceipts).values(receipt));
    expect(isUniqueViolation(error, 'webhook_receipts_method_event_unique')).toBe(true);

    const other = await seedWorkspace(db, 'Other');
    await db
      .insert(webhookReceipts)
      .values({ workspaceId: other.workspace.id, methodId: other.method.id, providerEventId: 'evt_dup' });
  });

  it('provider reference per method, and idempotency key per workspace on payments', async () => {
    const { db } = database;
    const seed = await seedWorkspace(db);
    const payment = {
      workspaceId: seed.workspace.id,
      linkId: seed.link.id,
      contactId: seed.contact.id,
      methodId: seed.method.id,
      amountMinor: 100n,
      currency: 'EUR',
      description: 'x',
    };
    // Many payments without a reference yet must coexist.
    await db.insert(payments).values([payment, payment]);
    await db.insert(payments).values({ ...payment, providerReference: 'cs_1', idempotencyKey: 'idem_1' });
    const byReference = await rejection(
      db.insert(payments).values({ ...payment, providerReference: 'cs_1' }),
    );
    expect(isUniqueViolation(byReference, 'payments_method_provider_reference_unique')).toBe(true);
    const byKey = await rejection(db.insert(payments).values({ ...payment, idempotencyKey: 'idem_1' }));
    expect(isUniqueViolation(byKey, 'payments_workspace_idempotency_key_unique')).toBe(true);
  });

  it('idempotency key per workspace', async () => {
    const { db } = database;
    const a = await seedWorkspace(db);
    const b = await seedWorkspace(db, 'B');
    await db.insert(idempotencyKeys).values({ workspaceId: a.workspace.id, key: 'same', requestHash: 'h' });
    await db.insert(idempotencyKeys).values({ workspaceId: b.workspace.id, key: 'same', requestHash: 'h' });
    const error = await rejection(
      db.insert(idempotencyKeys).values({ workspaceId: a.workspace.id, key: 'same', requestHash: 'h2' }),
    );
    expect(isUniqueViolation(error, 'idempotency_keys_workspace_key_unique')).toBe(true);
  });

  it('stage automation per pipeline and status', async () => {
    const { db } = database;
    const seed = await seedWorkspace(db);
    const rule = {
      workspaceId: seed.workspace.id,
      pipelineId: seed.pipeline.id,
      status: 'complete' as const,
      targetStageId: seed.stages.won.id,
    };
    await db.insert(stageAutomations).values(rule);
    const error = await rejection(
      db.insert(stageAutomations).values({ ...rule, targetStageId: seed.stages.lead.id }),
    );
    expect(isUniqueViolation(error, 'stage_automations_pipeline_status_unique')).toBe(true);
  });
});

describe('a row cannot point into another workspace', () => {
  it('refuses a deal on another tenant’s contact, and a link on another tenant’s method', async () => {
    const { db } = database;
    const mine = await seedWorkspace(db, 'Mine');
    const theirs = await seedWorkspace(db, 'Theirs');
    const deal = await rejection(
      db.insert(deals).values({
        workspaceId: mine.workspace.id,
        title: 'stolen',
        contactId: theirs.contact.id,
        pipelineId: mine.pipeline.id,
        stageId: mine.stages.lead.id,
      }),
    );
    expect(isForeignKeyViolation(deal, 'deals_contact_id_fk')).toBe(true);

    const link = await rejection(
      db.insert(paymentLinks).values({
        ...mine.link,
        id: undefined,
        token: linkToken(),
        methodId: theirs.method.id,
      }),
    );
    expect(isForeignKeyViolation(link, 'payment_links_method_id_fk')).toBe(true);
  });

  it('refuses a deal whose stage belongs to another pipeline', async () => {
    const { db } = database;
    const seed = await seedWorkspace(db);
    const other = await seedWorkspace(db);
    const error = await rejection(
      db.update(deals).set({ stageId: other.stages.won.id }).where(eq(deals.id, seed.deal.id)),
    );
    expect(isForeignKeyViolation(error, 'deals_stage_in_pipeline_fk')).toBe(true);
  });
});

describe('cheap checks', () => {
  it('refuses negative money, bad currencies, bad phones, zero validity and short tokens', async () => {
    const { db } = database;
    const seed = await seedWorkspace(db);
    const setLink = (values: Partial<typeof paymentLinks.$inferInsert>) =>
      rejection(db.update(paymentLinks).set(values).where(eq(paymentLinks.id, seed.link.id)));
    expect(isCheckViolation(await setLink({ amountMinor: -1n }))).toBe(true);
    expect(isCheckViolation(await setLink({ currency: 'eur' }))).toBe(true);
    expect(isCheckViolation(await setLink({ validityDays: 0 }))).toBe(true);
    expect(isCheckViolation(await setLink({ token: 'short' }), 'payment_links_token_format')).toBe(true);
    const phone = await rejection(
      db.update(contacts).set({ phone: '0612345678' }).where(eq(contacts.id, seed.contact.id)),
    );
    expect(isCheckViolation(phone, 'contacts_phone_e164')).toBe(true);
  });
});
