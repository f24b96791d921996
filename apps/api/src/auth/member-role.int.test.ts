import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';

let app: TestApp;
let owner: TestMember;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Acme');
});
afterAll(() => app.close());

const roleOf = async (viewer: TestMember, userId: string) => {
  const { members } = (await (await app.call(viewer, 'GET', '/api/members')).json()) as {
    members: { userId: string; role: string }[];
  };
  return members.find((member) => member.userId === userId)?.role;
};

describe("changing a member's role", () => {
  it('lets the owner make a member an admin and back, effective on their next request', async () => {
    const member = await app.addMember(owner, 'member');
    expect(
      (await app.call(member, 'POST', '/api/invitations', { email: 'x@example.com', role: 'member' })).status,
    ).toBe(403);

    const promoted = await app.call(owner, 'PATCH', `/api/members/${member.userId}`, { role: 'admin' });
    expect(promoted.status).toBe(200);
    expect(await promoted.json()).toMatchObject({ userId: member.userId, role: 'admin' });
    expect(await roleOf(owner, member.userId)).toBe('admin');
    expect(
      (await app.call(member, 'POST', '/api/invitations', { email: 'x@example.com', role: 'member' })).status,
    ).toBe(201);

    const demoted = await app.call(owner, 'PATCH', `/api/members/${member.userId}`, { role: 'member' });
    expect(demoted.status).toBe(200);
    expect(await roleOf(owner, member.userId)).toBe('member');
  });

  it('is the owner’s call only, never changes the owner, and offers no way to make a second owner', async () => {
    const admin = await app.addMember(owner, 'admin');
    const member = await app.addMember(owner, 'member');
    expect((await app.call(admin, 'PATCH', `/api/members/${member.userId}`, { role: 'admin' })).status).toBe(
      403,
    );
    expect((await app.call(member, 'PATCH', `/api/members/${member.userId}`, { role: 'admin' })).status).toBe(
      403,
    );

    const ownerChange = await app.call(owner, 'PATCH', `/api/members/${owner.userId}`, { role: 'member' });
    expect(ownerChange.status).toBe(422);
    expect(await ownerChange.json()).toMatchObject({ code: 'owner_role_fixed', field: 'userId' });
    expect(await roleOf(owner, owner.userId)).toBe('owner');

    const secondOwner = await app.call(owner, 'PATCH', `/api/members/${member.userId}`, { role: 'owner' });
    expect(secondOwner.status).toBe(422);
    expect(await roleOf(owner, member.userId)).toBe('member');
  });

  it('answers 404 for someone who is not a member of this workspace', async () => {
    const elsewhere = await app.signUp('Other');
    const response = await app.call(owner, 'PATCH', `/api/members/${elsewhere.userId}`, { role: 'admin' });
    expect(response.status).toBe(404);
    expect(await roleOf(elsewhere, elsewhere.userId)).toBe('owner');
  });
});
