import { randomUUID } from 'node:crypto';
import { contacts, paymentLinks } from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { addTeamMember } from './team-member-fixture.js';

let app: TestApp;
let owner: TestMember;
let stranger: TestMember;
let strangerMethodId: string;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Acme');
  stranger = await app.signUp('Elsewhere');
  const theirs: any = await (await app.call(stranger, 'GET', '/api/payment-methods')).json();
  strangerMethodId = theirs.paymentMethods[0].id;
});
afterAll(() => app.close());

async function connectSandbox(displayName: string): Promise<string> {
  const response = await app.call(owner, 'POST', '/api/payment-methods', {
    providerId: 'sandbox',
    displayName,
    credentials: {},
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}
const patch = (id: string, body: unknown, who = owner) =>
  app.call(who, 'PATCH', `/api/payment-methods/${id}`, body);
const remove = (id: string, who = owner) => app.call(who, 'DELETE', `/api/payment-methods/${id}`);

describe('renaming, disabling and enabling', () => {
  it('renames and disables, and the list shows it', async () => {
    const id = await connectSandbox('Demo');
    const renamed = await patch(id, { displayName: '  Workshop demo ' });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ id, displayName: 'Workshop demo', enabled: true });

    const disabled = await patch(id, { enabled: false });
    expect(await disabled.json()).toMatchObject({ displayName: 'Workshop demo', enabled: false });
    const list: any = await (await app.call(owner, 'GET', '/api/payment-methods')).json();
    expect(list.paymentMethods.find((m: { id: string }) => m.id === id)).toMatchObject({ enabled: false });

    expect(await (await patch(id, { enabled: true })).json()).toMatchObject({ enabled: true });
    // Renaming a method to its own name, in another case, is not a clash with itself.
    expect((await patch(id, { displayName: 'WORKSHOP DEMO' })).status).toBe(200);
  });

  it('refuses a name another method has', async () => {
    const id = await connectSandbox('Taken one');
    await connectSandbox('Taken two');
    const response = await patch(id, { displayName: 'taken two' });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: 'display_name_taken', field: 'displayName' });
  });

  it.each([
    [{}, undefined],
    [{ enabled: 'no' }, 'enabled'],
    [{ displayName: 42 }, 'displayName'],
    [{ displayName: 'x'.repeat(10_000) }, 'displayName'],
    [{ mode: 'live' }, 'mode'],
    [{ credentials: { webhookSecret: 'x' } }, 'credentials'],
  ])('refuses %o with 422', async (body, field) => {
    const id = await connectSandbox(`Refusals ${randomUUID()}`);
    const response = await patch(id, body);
    expect(response.status).toBe(422);
    const problem: any = await response.json();
    expect(problem.code).toBe('validation_failed');
    expect(problem.field).toBe(field);
  });

  it("answers 404 for another workspace's method and leaves it as it was", async () => {
    await connectSandbox('Clashing name');
    const response = await patch(strangerMethodId, { enabled: false, displayName: 'Clashing name' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'not_found', field: 'id' });
    const theirs: any = await (
      await app.call(stranger, 'GET', `/api/payment-methods/${strangerMethodId}`)
    ).json();
    expect(theirs).toMatchObject({ enabled: true });
    expect(theirs.displayName).not.toBe('Clashing name');
  });

  it('answers 422 for an id of the wrong shape', async () => {
    expect((await patch('123', { enabled: false })).status).toBe(422);
    expect((await remove('not-an-id')).status).toBe(422);
  });
});

it('lets a member neither change nor delete a method', async () => {
  const id = await connectSandbox('Guarded');
  const member = await addTeamMember(app, owner, 'member');
  for (const response of [await patch(id, { enabled: false }, member), await remove(id, member)]) {
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'forbidden' });
  }
  expect(await (await app.call(member, 'GET', `/api/payment-methods/${id}`)).json()).toMatchObject({
    enabled: true,
  });
});

describe('deleting', () => {
  it('deletes a method nothing uses', async () => {
    const id = await connectSandbox('Short-lived');
    expect((await remove(id)).status).toBe(204);
    expect((await app.call(owner, 'GET', `/api/payment-methods/${id}`)).status).toBe(404);
    expect((await remove(id)).status).toBe(404);
  });

  it('refuses to delete a method a payment link uses, and suggests disabling it', async () => {
    const id = await connectSandbox('Used');
    const db = app.database.db;
    const [contact] = await db
      .insert(contacts)
      .values({ workspaceId: owner.workspaceId, name: 'Payer' })
      .returning({ id: contacts.id });
    await db.insert(paymentLinks).values({
      workspaceId: owner.workspaceId,
      token: 'A'.repeat(22) + randomUUID().replaceAll('-', ''),
      origin: 'contact',
      description: 'Course',
      methodId: id,
      amountMinor: 1000n,
      currency: 'EUR',
      contactId: contact!.id,
      createdBy: owner.userId,
    });
    const response = await remove(id);
    expect(response.status).toBe(409);
    const problem: any = await response.json();
    expect(problem).toMatchObject({ code: 'method_in_use' });
    expect(problem.detail).toMatch(/disable/i);
    expect((await app.call(owner, 'GET', `/api/payment-methods/${id}`)).status).toBe(200);
    expect((await patch(id, { enabled: false })).status).toBe(200);
  });

  it("answers 404 for another workspace's method and keeps it", async () => {
    expect((await remove(strangerMethodId)).status).toBe(404);
    expect((await app.call(stranger, 'GET', `/api/payment-methods/${strangerMethodId}`)).status).toBe(200);
  });
});
