import { openTestDatabase } from '@paylinks/db/testing';
import { describe, expect, it } from 'vitest';
import { createLink, crmFixture } from '../public-pay/public-pay-fixtures.js';
import { testApp, testOrigin } from '../testing/test-app.js';

// What an operator's log holds after payers, invitees and team members used the app, while the
// database answered and while it was gone: never a link or invitation token, an email or a name.

const json = { origin: testOrigin, 'content-type': 'application/json' };
const invitationToken = 'inv_Zq8Lm3Xw5Rt7Yp2Kd9Vb4Nc6';

describe('the log', () => {
  it('holds no token, email or name from the requests it saw', async () => {
    const app = testApp(await openTestDatabase());
    const owner = await app.signUp('Private Workspace Ltd');
    const crm = await crmFixture(app, owner);
    const link = await createLink(app, owner, crm, { origin: 'contact' });
    const payer = { email: 'payer.private@example.com', name: 'Priscilla Payer' };

    const traffic = async () => {
      await app.request(`/api/pay/${link.token}`);
      await app.request(`/api/pay/${link.token}/checkout`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ paymentId: crypto.randomUUID(), email: payer.email, phone: '+31 6 12345678' }),
      });
      await app.request(`/api/pay/${link.token}/status?payment=${crypto.randomUUID()}`);
      await app.request(`/api/invitations/accept/${invitationToken}`);
      await app.request(`/api/invitations/accept/${invitationToken}`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ name: payer.name, password: 'a long enough password' }),
      });
      await app.request('/api/auth/sign-in/email', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email: owner.email, password: 'not the password at all' }),
      });
      await app.call(owner, 'POST', '/api/contacts', { name: payer.name, email: payer.email });
    };

    await traffic();
    // With the database gone every request fails, and the error handler logs each one's path.
    await app.database.close();
    await traffic();

    const logged = JSON.stringify(app.logger.lines);
    expect(app.logger.lines.length).toBeGreaterThan(3);
    expect(logged).toContain('/api/pay/:token');
    expect(logged).toContain('/api/invitations/accept/:token');
    for (const secret of [link.token, invitationToken, payer.email, payer.name, owner.email, 'Ada Owner']) {
      expect(logged).not.toContain(secret);
    }
  });
});
