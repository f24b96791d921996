import { schema } from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
});
afterAll(() => app.close());

/** Puts `who` into `workspaceId` with `role`, the way accepting an invitation would. */
async function addMembership(who: TestMember, workspaceId: string, role: 'admin' | 'member') {
  await app.database.db
    .insert(schema.member)
    .values({ organizationId: workspaceId, userId: who.userId, role });
}

async function leave(who: TestMember, workspaceId: string) {
  await app.database.db
    .delete(schema.member)
    .where(and(eq(schema.member.userId, who.userId), eq(schema.member.organizationId, workspaceId)));
}

/** What the session has selected, as better-auth keeps it. */
async function select(who: TestMember, workspaceId: string | null) {
  await app.database.db
    .update(schema.session)
    .set({ activeOrganizationId: workspaceId })
    .where(eq(schema.session.userId, who.userId));
}

async function me(who: TestMember) {
  const response = await app.call(who, 'GET', '/api/me');
  const body: any = await response.json();
  return response.status === 200
    ? { status: 200, workspace: body.workspace.id, role: body.role }
    : { status: response.status, code: body.code };
}

describe('the workspace a session works in', () => {
  it("works in the user's first workspace when the session has none selected", async () => {
    const owner = await app.signUp('Unselected');
    await select(owner, null);
    expect(await me(owner)).toEqual({ status: 200, workspace: owner.workspaceId, role: 'owner' });
    const contacts = await app.call(owner, 'GET', '/api/contacts');
    expect(contacts.status).toBe(200);
  });

  it('falls back to the oldest workspace left after the user leaves the selected one', async () => {
    const user = await app.signUp('Own first');
    const second = await app.signUp('Second');
    const third = await app.signUp('Third');
    await addMembership(user, second.workspaceId, 'member');
    await addMembership(user, third.workspaceId, 'admin');
    await select(user, third.workspaceId);
    expect(await me(user)).toEqual({ status: 200, workspace: third.workspaceId, role: 'admin' });

    await leave(user, third.workspaceId);
    expect(await me(user)).toEqual({ status: 200, workspace: user.workspaceId, role: 'owner' });
  });

  it('keeps the selected workspace while the user is still in it', async () => {
    const user = await app.signUp('Keeps own');
    const other = await app.signUp('Selected');
    await addMembership(user, other.workspaceId, 'member');
    await select(user, other.workspaceId);
    expect(await me(user)).toEqual({ status: 200, workspace: other.workspaceId, role: 'member' });
  });

  it('still refuses a user who is in no workspace at all', async () => {
    const user = await app.signUp('Left everything');
    const other = await app.signUp('Was in');
    await addMembership(user, other.workspaceId, 'member');
    await select(user, other.workspaceId);
    await leave(user, other.workspaceId);
    await leave(user, user.workspaceId);
    expect(await me(user)).toEqual({ status: 401, code: 'unauthenticated' });
    await select(user, null);
    expect(await me(user)).toEqual({ status: 401, code: 'unauthenticated' });
  });

  it('never moves an API key to another workspace of its owner', async () => {
    const user = await app.signUp('Key holder');
    const other = await app.signUp('Key workspace');
    await addMembership(user, other.workspaceId, 'admin');
    await select(user, other.workspaceId);
    const created = await app.call(user, 'POST', '/api/api-keys', { name: 'script' });
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    const bearer = { authorization: `Bearer ${key}` };
    expect(await (await app.request('/api/me', { headers: bearer })).json()).toMatchObject({
      workspace: { id: other.workspaceId },
    });

    await leave(user, other.workspaceId);
    const refused = await app.request('/api/me', { headers: bearer });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'unauthenticated' });
  });
});
