import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';

// The attacks issue 8 describes, as an outsider and as a curious owner would try them.

let app: TestApp;
let owner: TestMember;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Victim Ltd');
});
afterAll(() => app.close());

const memberEmails = async () =>
  ((await (await app.call(owner, 'GET', '/api/members')).json()) as { members: { email: string }[] }).members
    .map((m) => m.email)
    .sort();

describe('joining a workspace takes the invitation link', () => {
  it('an account registered in advance for a new hire’s address gets no way into the workspace', async () => {
    // The attacker registers the address first, with a workspace and a password of their own.
    const squat = await app.call(null, 'POST', '/api/signup', {
      name: 'Mallory',
      email: 'new-hire@victim.example',
      password: 'mallory knows this one',
      workspaceName: 'Mallory’s',
    });
    expect(squat.status).toBe(201);

    // The owner adds the new hire the old way, then the new way.
    const silentAdd = await app.call(owner, 'POST', '/api/members', {
      email: 'new-hire@victim.example',
      name: 'New Hire',
      role: 'member',
    });
    expect(silentAdd.status).toBe(410);
    expect(await silentAdd.json()).toMatchObject({ code: 'invitation_required' });
    const invited = await app.call(owner, 'POST', '/api/invitations', {
      email: 'new-hire@victim.example',
      role: 'member',
    });
    expect(invited.status).toBe(201);

    // Signing in with the attacker's password opens the attacker's own workspace, nothing more.
    const mallory = await app.signIn('new-hire@victim.example', 'mallory knows this one');
    expect(mallory.workspaceId).not.toBe(owner.workspaceId);
    expect(await memberEmails()).toEqual([owner.email]);
    // Without the link, a guessed one opens nothing.
    const guessed = await app.call(mallory, 'POST', `/api/invitations/accept/${'A'.repeat(43)}`, {});
    expect(guessed.status).toBe(404);
    expect(await guessed.json()).toMatchObject({ code: 'invitation_not_found' });
    expect(await memberEmails()).toEqual([owner.email]);
  });

  it('answers an invitation the same whether or not the email has an account, and shows no stored name', async () => {
    const existing = await app.signUp('Someone else');
    const stored = await app.call(existing, 'GET', '/api/me');
    const storedName = ((await stored.json()) as { user: { name: string } }).user.name;
    const withAccount = await app.call(owner, 'POST', '/api/invitations', {
      email: existing.email,
      role: 'member',
    });
    const withoutAccount = await app.call(owner, 'POST', '/api/invitations', {
      email: 'nobody-yet@victim.example',
      role: 'member',
    });
    expect(withAccount.status).toBe(201);
    expect(withoutAccount.status).toBe(withAccount.status);
    const a = (await withAccount.json()) as Record<string, unknown>;
    const b = (await withoutAccount.json()) as Record<string, unknown>;
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    expect(Object.keys(a).sort()).toEqual(['email', 'expiresAt', 'id', 'mailed', 'role', 'url']);
    expect(JSON.stringify(a)).not.toContain(storedName);
    expect(a.mailed).toBe(b.mailed);
  });
});
