import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp, testOrigin } from '../testing/test-app.js';

let app: TestApp;
let owner: TestMember;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Acme Training');
});
afterAll(() => app.close());

const cookieOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(';', 1)[0])
    .join('; ');

async function signIn(email: string, password: string) {
  return app.request('/api/auth/sign-in/email', {
    method: 'POST',
    headers: { origin: testOrigin, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
}

describe('sign-up', () => {
  it('creates the workspace with its owner, signs in with an httpOnly SameSite=Lax cookie', async () => {
    const response = await app.call(null, 'POST', '/api/signup', {
      name: 'Grace',
      email: 'grace@example.com',
      password: 'a long enough password',
      workspaceName: 'Grace & Co',
    });
    expect(response.status).toBe(201);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('paylinks.session_token='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    const me = await app.request('/api/me', { headers: { cookie: cookieOf(response) } });
    expect(await me.json()).toMatchObject({
      user: { name: 'Grace', email: 'grace@example.com' },
      workspace: { name: 'Grace & Co' },
      role: 'owner',
      via: 'session',
    });
  });

  it('refuses a taken email with 409 naming the field, and keeps the first account', async () => {
    const response = await app.call(null, 'POST', '/api/signup', {
      name: 'Other',
      email: owner.email,
      password: 'another long password',
      workspaceName: 'Other',
    });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: 'email_taken', field: 'email' });
    expect((await signIn(owner.email, 'correct horse battery staple')).status).toBe(200);
  });

  it.each([
    [{ name: 'x', email: 'not-an-email', password: 'long enough password', workspaceName: 'W' }, 'email'],
    [{ name: 'x', email: 'a@example.com', password: 'short', workspaceName: 'W' }, 'password'],
    [{ name: 'x', email: 'a@example.com', password: 'long enough password' }, 'workspaceName'],
    [
      {
        name: 'x'.repeat(5000),
        email: 'a@example.com',
        password: 'long enough password',
        workspaceName: 'W',
      },
      'name',
    ],
  ])('refuses %o with a problem naming %s', async (body, field) => {
    const response = await app.call(null, 'POST', '/api/signup', body);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: 'validation_failed', field });
  });

  it('refuses a sign-up posted from another site', async () => {
    const response = await app.request('/api/signup', {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'x',
        email: 'csrf@example.com',
        password: 'long enough password',
        workspaceName: 'W',
      }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'cross_origin_refused' });
  });
});

describe('sessions', () => {
  it('signs in, answers /api/me, signs out and then refuses', async () => {
    const wrong = await signIn(owner.email, 'wrong password!!');
    expect(wrong.status).toBe(401);
    const response = await signIn(owner.email, 'correct horse battery staple');
    expect(response.status).toBe(200);
    const cookie = cookieOf(response);
    const me = await app.request('/api/me', { headers: { cookie } });
    expect(await me.json()).toMatchObject({ workspace: { id: owner.workspaceId }, role: 'owner' });

    const signOut = await app.request('/api/auth/sign-out', {
      method: 'POST',
      headers: { cookie, origin: testOrigin },
    });
    expect(signOut.status).toBe(200);
    expect((await app.request('/api/me', { headers: { cookie } })).status).toBe(401);
  });

  it('answers 401 problem+json without a session or key', async () => {
    const response = await app.request('/api/me');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'unauthenticated' });
  });

  it('refuses a cookie-authenticated mutation without our Origin or from a cross site', async () => {
    const body = JSON.stringify({ name: 'key' });
    const headers = { cookie: owner.headers.cookie!, 'content-type': 'application/json' };
    const noOrigin = await app.request('/api/api-keys', { method: 'POST', headers, body });
    const foreign = await app.request('/api/api-keys', {
      method: 'POST',
      headers: { ...headers, origin: 'https://evil.example' },
      body,
    });
    // Without Origin the Referer is the fallback, and a cross-site Sec-Fetch-Site refuses it.
    const crossSite = await app.request('/api/api-keys', {
      method: 'POST',
      headers: { ...headers, referer: `${testOrigin}/settings`, 'sec-fetch-site': 'cross-site' },
      body,
    });
    const opaque = await app.request('/api/api-keys', {
      method: 'POST',
      headers: { ...headers, origin: 'null', referer: `${testOrigin}/settings` },
      body,
    });
    for (const response of [noOrigin, foreign, crossSite, opaque]) {
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ code: 'cross_origin_refused' });
    }
  });

  it('marks the cookie Secure when PUBLIC_URL is https', async () => {
    const secure = testApp(app.database, { config: { publicUrl: 'https://pay.example.com' } });
    const response = await secure.request('/api/signup', {
      method: 'POST',
      headers: { origin: 'https://pay.example.com', 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'S',
        email: 'secure@example.com',
        password: 'long enough password',
        workspaceName: 'S',
      }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie().join('\n')).toMatch(/__Secure-paylinks\.session_token=.*Secure/i);
  });
});

describe('team members', () => {
  it('lets an invited member sign in with that role, and removes them', async () => {
    const member = await app.addMember(owner, 'member', 'linus@example.com');
    expect(await (await app.call(member, 'GET', '/api/me')).json()).toMatchObject({
      workspace: { id: owner.workspaceId },
      role: 'member',
    });
    // A member cannot invite people or make API keys.
    const refused = await app.call(member, 'POST', '/api/invitations', {
      email: 'x@example.com',
      role: 'member',
    });
    expect(refused.status).toBe(403);
    expect((await app.call(member, 'POST', '/api/api-keys', { name: 'k' })).status).toBe(403);

    const listed: any = await (await app.call(owner, 'GET', '/api/members')).json();
    expect(listed.members.map((m: { role: string }) => m.role).sort()).toEqual(['member', 'owner']);

    expect((await app.call(owner, 'DELETE', `/api/members/${member.userId}`)).status).toBe(204);
    expect((await app.call(member, 'GET', '/api/me')).status).toBe(401);
  });

  it('keeps the owner', async () => {
    const response = await app.call(owner, 'DELETE', `/api/members/${owner.userId}`);
    expect(response.status).toBe(422);
  });
});

describe('API keys', () => {
  it('shows the key once, stores only a hash, works as Bearer in its workspace, and stops when revoked', async () => {
    const created = await app.call(owner, 'POST', '/api/api-keys', { name: 'Zapier' });
    expect(created.status).toBe(201);
    const { id, key } = (await created.json()) as { id: string; key: string };
    expect(key).toMatch(/^pl_/);

    const listed = await (await app.call(owner, 'GET', '/api/api-keys')).text();
    expect(listed).toContain(id);
    expect(listed).not.toContain(key);
    const stored = await app.database.db.query.apikey.findFirst();
    expect(JSON.stringify(stored)).not.toContain(key);

    const bearer = { authorization: `Bearer ${key}` };
    for (let i = 0; i < 15; i++) {
      const me = await app.request('/api/me', { headers: bearer });
      expect(me.status).toBe(200);
    }
    expect(await (await app.request('/api/me', { headers: bearer })).json()).toMatchObject({
      workspace: { id: owner.workspaceId },
      via: 'api-key',
    });
    // A key cannot mint keys, and needs no Origin for mutations.
    const minted = await app.request('/api/api-keys', {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x' }),
    });
    expect(minted.status).toBe(403);

    expect((await app.call(owner, 'DELETE', `/api/api-keys/${id}`)).status).toBe(204);
    expect((await app.request('/api/me', { headers: bearer })).status).toBe(401);
    expect((await app.request('/api/me', { headers: { authorization: 'Bearer pl_bogus' } })).status).toBe(
      401,
    );
  });

  it("cannot revoke another workspace's key", async () => {
    const other = await app.signUp('Other');
    const { id } = (await (await app.call(other, 'POST', '/api/api-keys', { name: 'theirs' })).json()) as {
      id: string;
    };
    expect((await app.call(owner, 'DELETE', `/api/api-keys/${id}`)).status).toBe(404);
    expect(await (await app.call(other, 'GET', '/api/api-keys')).text()).toContain(id);
  });
});
