import { contacts, paymentLinks, pipelines } from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertContact, insertLink, insertPayment, workspaceFixture } from '../payments/payments-fixtures.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { callWithKey, createApiKey, withKey } from './api-key-fixtures.js';

let app: TestApp;
let owner: TestMember;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Scoped');
});
afterAll(() => app.close());

const dayMs = 24 * 60 * 60 * 1000;

const json = async (response: Response): Promise<any> => response.json();

async function linkBody() {
  const w = await workspaceFixture(app.database.db, owner.workspaceId);
  const contact = await insertContact(app.database.db, w);
  return {
    w,
    contact,
    body: {
      origin: 'contact',
      contactId: contact.id,
      description: 'Consulting, November',
      methodId: w.methodId,
      amount: '80.00',
      currency: 'EUR',
      validityDays: 7,
    },
  };
}

const linksOf = async (workspaceId: string) =>
  (await app.database.db.select().from(paymentLinks).where(eq(paymentLinks.workspaceId, workspaceId))).length;

const contactsOf = async (workspaceId: string) =>
  (await app.database.db.select().from(contacts).where(eq(contacts.workspaceId, workspaceId))).length;

/** The statements one request sends. */
async function statementsOf(work: () => Promise<unknown>) {
  const seen: string[] = [];
  const stop = app.database.observeStatements((text) => seen.push(text));
  try {
    await work();
  } finally {
    stop();
  }
  return seen;
}

describe('a read key', () => {
  it('reads, but cannot create: 403 insufficient_scope naming the scope needed, nothing written', async () => {
    const { key } = await createApiKey(app, owner, 'dashboard', { scope: 'read' });
    expect((await withKey(app, key, '/api/payment-links')).status).toBe(200);
    expect((await withKey(app, key, '/api/contacts')).status).toBe(200);

    const { body } = await linkBody();
    const before = await linksOf(owner.workspaceId);
    const refused = await callWithKey(app, key, 'POST', '/api/payment-links', body);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const problem = await json(refused);
    expect(problem).toMatchObject({ code: 'insufficient_scope', status: 403 });
    expect(problem.detail).toContain('"payments"');
    // The refusal still tells the script its budget.
    expect(refused.headers.get('ratelimit-limit')).not.toBeNull();
    expect(await linksOf(owner.workspaceId)).toBe(before);

    const contact = await callWithKey(app, key, 'POST', '/api/contacts', { name: 'Nobody' });
    expect(contact.status).toBe(403);
    expect((await json(contact)).detail).toContain('"all"');
  });
});

describe('a payments key', () => {
  it('creates and edits a link and confirms a payment, but cannot create a contact or delete a pipeline', async () => {
    const { key } = await createApiKey(app, owner, 'checkout', { scope: 'payments' });
    const { w, contact, body } = await linkBody();

    const created = await callWithKey(app, key, 'POST', '/api/payment-links', body);
    expect(created.status).toBe(201);
    const linkId = (await json(created)).id as string;
    expect((await withKey(app, key, `/api/payment-links/${linkId}`)).status).toBe(200);
    const edited = await callWithKey(app, key, 'PATCH', `/api/payment-links/${linkId}`, {
      description: 'Fixed a typo',
    });
    expect(edited.status).toBe(200);

    const link = await insertLink(app.database.db, w, { contactId: contact.id });
    const payment = await insertPayment(app.database.db, w, link);
    const confirmed = await callWithKey(app, key, 'POST', `/api/payments/${payment.id}/confirm`, {
      note: 'Bank transfer',
    });
    expect(confirmed.status).toBe(200);
    expect((await json(confirmed)).status).toBe('confirmed_by_team_member');

    const contactsBefore = await contactsOf(owner.workspaceId);
    const newContact = await callWithKey(app, key, 'POST', '/api/contacts', { name: 'Grace' });
    expect(newContact.status).toBe(403);
    expect(await json(newContact)).toMatchObject({ code: 'insufficient_scope' });
    expect(await contactsOf(owner.workspaceId)).toBe(contactsBefore);

    const deleted = await callWithKey(app, key, 'DELETE', `/api/pipelines/${w.pipelineId}`);
    expect(deleted.status).toBe(403);
    expect((await json(deleted)).detail).toContain('"all"');
    const [pipeline] = await app.database.db.select().from(pipelines).where(eq(pipelines.id, w.pipelineId));
    expect(pipeline).toBeDefined();
  });
});

describe('the list of keys', () => {
  it('shows each key with its scope, expiry and last use; a key made without a scope is all', async () => {
    const made = await createApiKey(app, owner, 'everything');
    expect(made).toMatchObject({ scope: 'all', expiresAt: null });
    expect((await withKey(app, made.key, '/api/me')).status).toBe(200);
    const { apiKeys } = await json(await app.call(owner, 'GET', '/api/api-keys'));
    expect(apiKeys.find((k: { id: string }) => k.id === made.id)).toMatchObject({
      scope: 'all',
      expiresAt: null,
      lastUsedAt: app.clock.now().toISOString(),
    });
  });
});

describe('a key that expires', () => {
  it('works until N days on the clock have passed, then is refused 401', async () => {
    // better-auth sweeps keys expired by the real clock; start the test clock there so it leaves ours.
    const start = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
    app.clock.set(start);
    const made = await createApiKey(app, owner, 'for a week', { scope: 'read', expiresInDays: 7 });
    const expiresAt = new Date(start.getTime() + 7 * dayMs);
    expect(made.expiresAt).toBe(expiresAt.toISOString());
    const { apiKeys } = await json(await app.call(owner, 'GET', '/api/api-keys'));
    expect(apiKeys.find((k: { id: string }) => k.id === made.id)).toMatchObject({
      scope: 'read',
      expiresAt: expiresAt.toISOString(),
    });

    app.clock.set(new Date(expiresAt.getTime() - 60_000));
    expect((await withKey(app, made.key, '/api/me')).status).toBe(200);
    app.clock.set(new Date(expiresAt.getTime() + 1000));
    const refused = await withKey(app, made.key, '/api/me');
    expect(refused.status).toBe(401);
    expect(await json(refused)).toMatchObject({ code: 'unauthenticated' });
  });
});

describe('making a key with bad input', () => {
  it.each([
    [{ scope: 'admin' }, 'scope'],
    [{ scope: '' }, 'scope'],
    [{ expiresInDays: 0 }, 'expiresInDays'],
    [{ expiresInDays: 1.5 }, 'expiresInDays'],
    [{ expiresInDays: 366 }, 'expiresInDays'],
    [{ expiresInDays: '7' }, 'expiresInDays'],
  ])('refuses %o with 422 naming the field, and makes no key', async (extra, field) => {
    const before = (await json(await app.call(owner, 'GET', '/api/api-keys'))).apiKeys.length;
    const response = await app.call(owner, 'POST', '/api/api-keys', { name: 'bad', ...extra });
    expect(response.status).toBe(422);
    expect(await json(response)).toMatchObject({ code: 'validation_failed', field });
    expect((await json(await app.call(owner, 'GET', '/api/api-keys'))).apiKeys).toHaveLength(before);
  });
});

describe('checking a scoped key', () => {
  it('stays one statement: a refusal outside the scope sends nothing but the key check', async () => {
    const { key } = await createApiKey(app, owner, 'counted', { scope: 'read' });
    // Warm the connection and the key's once-a-minute last-use write.
    expect((await withKey(app, key, '/api/me')).status).toBe(200);
    const statements = await statementsOf(async () => {
      const refused = await callWithKey(app, key, 'POST', '/api/contacts', { name: 'Nobody' });
      expect(refused.status).toBe(403);
    });
    expect(statements, statements.join('\n')).toHaveLength(1);
  });
});
