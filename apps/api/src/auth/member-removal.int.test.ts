import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitationToken, type TestApp, type TestMember, testApp } from '../testing/test-app.js';

let app: TestApp;
let owner: TestMember;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Acme');
});
afterAll(() => app.close());

const keyOf = async (member: TestMember) =>
  (
    (await (await app.call(member, 'POST', '/api/api-keys', { name: 'their script' })).json()) as {
      key: string;
    }
  ).key;
const meWithKey = (key: string) => app.request('/api/me', { headers: { authorization: `Bearer ${key}` } });

describe('removing a member', () => {
  it('ends their session and deletes their API keys here, so neither works again even if they come back', async () => {
    const admin = await app.addMember(owner, 'admin', 'leaver@example.com');
    const key = await keyOf(admin);
    expect((await meWithKey(key)).status).toBe(200);
    // Their own workspace, with a key and a session of its own, is not ours to touch.
    const elsewhere = await app.signUp('Leaver’s own');
    const otherKey = await keyOf(elsewhere);

    expect((await app.call(owner, 'DELETE', `/api/members/${admin.userId}`)).status).toBe(204);
    expect((await app.call(admin, 'GET', '/api/me')).status).toBe(401);
    expect((await meWithKey(key)).status).toBe(401);
    expect(await (await app.call(owner, 'GET', '/api/api-keys')).text()).not.toContain(key.slice(0, 10));

    // Invited again and accepted from a fresh sign-in: the old cookie and key stay dead.
    const invited: any = await (
      await app.call(owner, 'POST', '/api/invitations', { email: 'leaver@example.com', role: 'admin' })
    ).json();
    const back = await app.signIn('leaver@example.com', 'member password long enough');
    const accepted = await app.call(
      back,
      'POST',
      `/api/invitations/accept/${invitationToken(invited.url)}`,
      {},
    );
    expect(accepted.status).toBe(201);
    expect((await app.call(back, 'GET', '/api/me')).status).toBe(200);
    expect((await app.call(admin, 'GET', '/api/me')).status).toBe(401);
    expect((await meWithKey(key)).status).toBe(401);
    expect((await meWithKey(otherKey)).status).toBe(200);
    expect((await app.call(elsewhere, 'GET', '/api/me')).status).toBe(200);
  });

  it('is the owner’s call only, and keeps the owner', async () => {
    const admin = await app.addMember(owner, 'admin');
    const member = await app.addMember(owner, 'member');
    expect((await app.call(admin, 'DELETE', `/api/members/${member.userId}`)).status).toBe(403);
    expect((await app.call(owner, 'DELETE', `/api/members/${owner.userId}`)).status).toBe(422);
    expect((await app.call(member, 'GET', '/api/me')).status).toBe(200);
  });
});
