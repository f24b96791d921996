import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cookieOf,
  invitationToken,
  type TestApp,
  type TestMember,
  testApp,
  testOrigin,
  testPublicUrl,
} from '../testing/test-app.js';

let app: TestApp;
let owner: TestMember;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Acme Training');
});
afterAll(() => app.close());

const newPassword = { name: 'Nina New', password: 'nina picks a long one' };

async function invite(inviter: TestMember, email: string, role: 'admin' | 'member' = 'member') {
  const response = await app.call(inviter, 'POST', '/api/invitations', { email, role });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { id: string; url: string; expiresAt: string; mailed: boolean };
  return { ...body, token: invitationToken(body.url) };
}

const accept = (token: string, member: TestMember | null, body: unknown = newPassword) =>
  app.call(member, 'POST', `/api/invitations/accept/${token}`, body);

const membersOf = async (m: TestMember) =>
  (
    (await (await app.call(m, 'GET', '/api/members')).json()) as {
      members: { email: string; role: string }[];
    }
  ).members;

describe('inviting', () => {
  it('answers a one-time link once; the database keeps only its hash; the list shows no link', async () => {
    const created = await app.call(owner, 'POST', '/api/invitations', {
      email: 'Nina@Example.com',
      role: 'member',
    });
    expect(created.status).toBe(201);
    const body: any = await created.json();
    expect(body).toMatchObject({ email: 'nina@example.com', role: 'member', mailed: false });
    expect(body.url).toMatch(new RegExp(`^${testPublicUrl}/invite/[A-Za-z0-9_-]{43}$`));
    expect(new Date(body.expiresAt).getTime() - app.clock.now().getTime()).toBe(7 * 24 * 3600 * 1000);
    const token = invitationToken(body.url);

    const stored = await app.database.db.query.memberInvitations.findMany();
    expect(JSON.stringify(stored)).not.toContain(token);
    const listed = await (await app.call(owner, 'GET', '/api/invitations')).text();
    expect(listed).toContain(body.id);
    expect(listed).not.toContain(token);
    expect(listed).not.toContain('/invite/');
  });

  it('lets admins invite members but not admins; members invite nobody', async () => {
    const admin = await app.addMember(owner, 'admin');
    const member = await app.addMember(owner, 'member');
    const adminInvitesAdmin = await app.call(admin, 'POST', '/api/invitations', {
      email: 'boss@example.com',
      role: 'admin',
    });
    expect(adminInvitesAdmin.status).toBe(403);
    expect(await adminInvitesAdmin.json()).toMatchObject({ code: 'forbidden' });
    expect(
      (await app.call(admin, 'POST', '/api/invitations', { email: 'm@example.com', role: 'member' })).status,
    ).toBe(201);
    expect(
      (await app.call(member, 'POST', '/api/invitations', { email: 'x@example.com', role: 'member' })).status,
    ).toBe(403);
    expect((await app.call(member, 'GET', '/api/invitations')).status).toBe(403);
    expect(
      (await app.call(owner, 'POST', '/api/invitations', { email: admin.email, role: 'member' })).status,
    ).toBe(409);
  });
});

describe('accepting', () => {
  it('shows the invitee the workspace and role, sets their password, signs them in, and works once', async () => {
    const { token } = await invite(owner, 'first-timer@example.com', 'admin');
    const view = await app.call(null, 'GET', `/api/invitations/accept/${token}`);
    expect(view.status).toBe(200);
    expect(await view.json()).toMatchObject({
      workspace: { name: 'Acme Training' },
      role: 'admin',
      email: 'first-timer@example.com',
      next: 'set_password',
    });

    const missingPassword = await accept(token, null, { name: 'Nina' });
    expect(missingPassword.status).toBe(422);
    expect(await missingPassword.json()).toMatchObject({ code: 'required', field: 'password' });

    const accepted = await accept(token, null);
    expect(accepted.status).toBe(201);
    const cookie = accepted.headers.getSetCookie().find((c) => c.startsWith('paylinks.session_token='));
    expect(cookie).toMatch(/HttpOnly/i);
    const me = await app.request('/api/me', { headers: { cookie: cookieOf(accepted) } });
    expect(await me.json()).toMatchObject({
      user: { name: 'Nina New', email: 'first-timer@example.com' },
      workspace: { name: 'Acme Training' },
      role: 'admin',
    });
    // The password they chose is theirs for later sign-ins.
    await app.signIn('first-timer@example.com', newPassword.password);

    const again = await accept(token, null);
    expect(again.status).toBe(410);
    expect(await again.json()).toMatchObject({ code: 'invitation_used' });
    expect((await app.call(null, 'GET', `/api/invitations/accept/${token}`)).status).toBe(410);
  });

  it('turns away a link after 7 days and a withdrawn link, each with its own code', async () => {
    const expiring = await invite(owner, 'late@example.com');
    const withdrawn = await invite(owner, 'withdrawn@example.com');
    expect((await app.call(owner, 'DELETE', `/api/invitations/${withdrawn.id}`)).status).toBe(204);
    const revokedView = await app.call(null, 'GET', `/api/invitations/accept/${withdrawn.token}`);
    expect(revokedView.status).toBe(410);
    expect(await revokedView.json()).toMatchObject({ code: 'invitation_revoked' });
    expect((await accept(withdrawn.token, null)).status).toBe(410);
    expect(await (await app.call(owner, 'GET', '/api/invitations')).text()).not.toContain(withdrawn.id);
    expect((await app.call(owner, 'DELETE', `/api/invitations/${withdrawn.id}`)).status).toBe(404);

    const start = app.clock.now();
    try {
      app.clock.set(new Date(start.getTime() + 7 * 24 * 3600 * 1000 - 1000));
      expect((await app.call(null, 'GET', `/api/invitations/accept/${expiring.token}`)).status).toBe(200);
      app.clock.set(new Date(start.getTime() + 7 * 24 * 3600 * 1000));
      const expired = await accept(expiring.token, null);
      expect(expired.status).toBe(410);
      expect(await expired.json()).toMatchObject({ code: 'invitation_expired', field: 'token' });
      expect(await (await app.call(owner, 'GET', '/api/invitations')).text()).not.toContain(expiring.id);
    } finally {
      app.clock.set(start);
    }
    expect((await membersOf(owner)).map((m) => m.email)).not.toContain('late@example.com');
  });

  it('a newer invitation to the same address replaces the pending one', async () => {
    const first = await invite(owner, 'twice@example.com');
    const second = await invite(owner, 'twice@example.com');
    expect(await (await accept(first.token, null)).json()).toMatchObject({ code: 'invitation_revoked' });
    expect((await accept(second.token, null)).status).toBe(201);
  });

  it('with an existing account, needs that account signed in; the link alone sets no password', async () => {
    const other = await app.signUp('Their own workspace');
    const { token } = await invite(owner, other.email);
    expect(await (await app.call(null, 'GET', `/api/invitations/accept/${token}`)).json()).toMatchObject({
      next: 'sign_in',
    });

    const anonymous = await accept(token, null, { name: 'Taken over', password: 'attacker sets this one' });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'sign_in_required' });
    expect(
      (
        await app.call(null, 'POST', '/api/auth/sign-in/email', {
          email: other.email,
          password: 'attacker sets this one',
        })
      ).status,
    ).toBe(401);

    const stranger = await app.signUp('Stranger');
    const wrong = await accept(token, stranger, {});
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ code: 'wrong_account' });

    const accepted = await accept(token, other, {});
    expect(accepted.status).toBe(201);
    // The session that accepted moves into the workspace it joined; their own one stays theirs.
    expect(await (await app.call(other, 'GET', '/api/me')).json()).toMatchObject({
      workspace: { id: owner.workspaceId },
      role: 'member',
    });
    expect((await membersOf(owner)).map((m) => m.email)).toContain(other.email);
    expect((await accept(token, other, {})).status).toBe(410);
  });

  it('two accepts of one link at once make one member', async () => {
    const { token } = await invite(owner, 'racer@example.com');
    const answers = await Promise.all([accept(token, null), accept(token, null), accept(token, null)]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 410, 410]);
    expect((await membersOf(owner)).filter((m) => m.email === 'racer@example.com')).toHaveLength(1);
  });

  it('refuses an accept posted from another site', async () => {
    const { token } = await invite(owner, 'csrf@example.com');
    const response = await app.request(`/api/invitations/accept/${token}`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify(newPassword),
    });
    expect(response.status).toBe(403);
    expect((await accept(token, null)).status).toBe(201);
  });

  it('keeps the old silent add gone', async () => {
    const response = await app.call(owner, 'POST', '/api/members', {
      email: 'silent@example.com',
      name: 'S',
      role: 'member',
    });
    expect(response.status).toBe(410);
    expect(await response.json()).toMatchObject({ code: 'invitation_required' });
    expect(testOrigin).toBe(new URL(testPublicUrl).origin);
  });
});
