import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp, testOrigin } from '../testing/test-app.js';
import { cookieOf, signIn, signInAgain, signUpPassword } from './auth-fixtures.js';

let app: TestApp;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
});
afterAll(() => app.close());

const newPassword = 'a brand new long password';

function changePassword(who: TestMember, body: Record<string, unknown>, origin = testOrigin) {
  return app.request('/api/auth/change-password', {
    method: 'POST',
    headers: { cookie: who.headers.cookie!, origin, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const status = async (who: TestMember) => (await app.call(who, 'GET', '/api/me')).status;

describe('changing the password', () => {
  it("ends the user's other sessions and keeps the one that changed it signed in", async () => {
    const owner = await app.signUp('Password change');
    const laptop = await signInAgain(app, owner);

    const response = await changePassword(owner, { currentPassword: signUpPassword, newPassword });
    expect(response.status).toBe(200);
    const stillSignedIn = { ...owner, headers: { cookie: cookieOf(response), origin: testOrigin } };
    expect(await (await app.call(stillSignedIn, 'GET', '/api/me')).json()).toMatchObject({
      user: { email: owner.email },
      workspace: { id: owner.workspaceId },
      role: 'owner',
    });
    expect(await status(laptop)).toBe(401);

    expect((await signIn(app, owner.email, signUpPassword)).status).toBe(401);
    expect((await signIn(app, owner.email, newPassword)).status).toBe(200);
  });

  it('ends the other sessions even when the client asks to keep them', async () => {
    const owner = await app.signUp('Asks to keep');
    const laptop = await signInAgain(app, owner);
    const response = await changePassword(owner, {
      currentPassword: signUpPassword,
      newPassword,
      revokeOtherSessions: false,
    });
    expect(response.status).toBe(200);
    expect(await status(laptop)).toBe(401);
    expect(await status({ ...owner, headers: { cookie: cookieOf(response), origin: testOrigin } })).toBe(200);
  });

  it('changes nothing when the current password is wrong', async () => {
    const owner = await app.signUp('Wrong current');
    const laptop = await signInAgain(app, owner);
    const response = await changePassword(owner, { currentPassword: 'not the password at all', newPassword });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'invalid_password' });
    expect(await status(owner)).toBe(200);
    expect(await status(laptop)).toBe(200);
    expect((await signIn(app, owner.email, signUpPassword)).status).toBe(200);
  });

  it('refuses a change posted from another site', async () => {
    const owner = await app.signUp('Cross-site change');
    const response = await changePassword(
      owner,
      { currentPassword: signUpPassword, newPassword },
      'https://evil.example',
    );
    expect(response.status).toBe(403);
    expect(await status(owner)).toBe(200);
    expect((await signIn(app, owner.email, signUpPassword)).status).toBe(200);
  });
});
