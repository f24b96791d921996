import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp, testOrigin } from '../testing/test-app.js';

let app: TestApp;
let owner: TestMember;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Origins');
});
afterAll(() => app.close());

const json = { 'content-type': 'application/json' };

function createContact(headers: Record<string, string>) {
  return app.request('/api/contacts', {
    method: 'POST',
    headers: { cookie: owner.headers.cookie!, ...json, ...headers },
    body: JSON.stringify({ name: 'Ada Lovelace' }),
  });
}

describe('Origin on cookie-authenticated mutations', () => {
  it('Origin: null is refused 403 even with our Referer', async () => {
    const response = await createContact({ origin: 'null', referer: `${testOrigin}/contacts` });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('our Origin decides alone: a contradicting Sec-Fetch-Site does not refuse it', async () => {
    const response = await createContact({ origin: testOrigin, 'sec-fetch-site': 'cross-site' });
    expect(response.status).toBe(201);
  });

  it('the public sign-up refuses Origin: null too', async () => {
    const response = await app.request('/api/signup', {
      method: 'POST',
      headers: { origin: 'null', referer: `${testOrigin}/signup`, ...json },
      body: JSON.stringify({
        name: 'Mallory',
        email: 'mallory@example.com',
        password: 'correct horse battery staple',
        workspaceName: 'Framed',
      }),
    });
    expect(response.status).toBe(403);
  });
});
