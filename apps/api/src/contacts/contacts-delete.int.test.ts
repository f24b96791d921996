import { randomBytes } from 'node:crypto';
import { deals, paymentLinks, paymentMethods, pipelineStages, pipelines } from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';

// Deals and links are inserted straight into the tables: what matters here is that a contact
// they point at cannot be deleted, whichever endpoint created them.

let app: TestApp;
let owner: TestMember;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Holders Inc');
});
afterAll(() => app.close());

async function newContact(name: string): Promise<string> {
  const response = await app.call(owner, 'POST', '/api/contacts', { name });
  const body: any = await response.json();
  return body.id;
}

async function insertDeal(contactId: string) {
  const { db } = app.database;
  const [pipeline] = await db.select().from(pipelines).where(eq(pipelines.workspaceId, owner.workspaceId));
  const [stage] = await db.select().from(pipelineStages).where(eq(pipelineStages.pipelineId, pipeline!.id));
  const [deal] = await db
    .insert(deals)
    .values({
      workspaceId: owner.workspaceId,
      title: 'Course',
      contactId,
      pipelineId: pipeline!.id,
      stageId: stage!.id,
    })
    .returning();
  return deal!;
}

async function insertLink(contactId: string, values: { deletedAt?: Date } = {}) {
  const { db } = app.database;
  const [method] = await db
    .select()
    .from(paymentMethods)
    .where(eq(paymentMethods.workspaceId, owner.workspaceId));
  await db.insert(paymentLinks).values({
    workspaceId: owner.workspaceId,
    token: randomBytes(24).toString('base64url'),
    origin: 'contact',
    description: 'Course fee',
    methodId: method!.id,
    amountMinor: 12_500n,
    currency: 'EUR',
    contactId,
    createdBy: owner.userId,
    ...values,
  });
}

async function expectStillThere(contactId: string) {
  expect((await app.call(owner, 'GET', `/api/contacts/${contactId}`)).status).toBe(200);
}

describe('deleting a contact that is in use', () => {
  it('refuses with 409 contact_in_use naming its deals, and keeps contact and deal', async () => {
    const contactId = await newContact('Has a deal');
    const deal = await insertDeal(contactId);
    const response = await app.call(owner, 'DELETE', `/api/contacts/${contactId}`);
    expect(response.status).toBe(409);
    const problem: any = await response.json();
    expect(problem).toMatchObject({
      code: 'contact_in_use',
      field: 'id',
      detail: expect.stringContaining('1 deal'),
    });
    expect(problem.errors).toEqual([{ code: 'held_by_deals', field: 'deals', message: '1 deal' }]);
    await expectStillThere(contactId);
    const [kept] = await app.database.db.select().from(deals).where(eq(deals.id, deal.id));
    expect(kept?.contactId).toBe(contactId);
  });

  it('refuses while a payment link points at it, even a deleted link kept as history', async () => {
    const contactId = await newContact('Has links');
    await insertLink(contactId);
    await insertLink(contactId, { deletedAt: new Date('2026-11-20T00:00:00Z') });
    const response = await app.call(owner, 'DELETE', `/api/contacts/${contactId}`);
    expect(response.status).toBe(409);
    const problem: any = await response.json();
    expect(problem.detail).toContain('2 payment links');
    expect(problem.errors).toEqual([
      { code: 'held_by_payment_links', field: 'paymentLinks', message: '2 payment links' },
    ]);
    await expectStillThere(contactId);
  });

  it('names every kind of holder at once', async () => {
    const contactId = await newContact('Has both');
    await insertDeal(contactId);
    await insertLink(contactId);
    const problem: any = await (await app.call(owner, 'DELETE', `/api/contacts/${contactId}`)).json();
    expect(problem.errors.map((e: any) => e.field)).toEqual(['deals', 'paymentLinks']);
  });

  it('still deletes a contact once it has nothing attached', async () => {
    const contactId = await newContact('Free');
    const other = await newContact('Busy neighbour');
    await insertDeal(other);
    expect((await app.call(owner, 'DELETE', `/api/contacts/${contactId}`)).status).toBe(204);
  });
});
