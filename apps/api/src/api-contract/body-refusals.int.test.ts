import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp, testOrigin } from '../testing/test-app.js';

// One meaning, one code: our routes and better-auth's answer an unreadable body alike, as the
// document says (400 malformed_json, 415 unsupported_media_type).

let app: TestApp;
let member: TestMember;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  member = await app.signUp();
});
afterAll(() => app.close());

const post = (path: string, headers: Record<string, string>, body: string) =>
  app.request(path, { method: 'POST', headers, body });

async function codeOf(response: Response) {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  return { status: response.status, code: ((await response.json()) as { code: string }).code };
}

describe('a body the API cannot read', () => {
  it('sent as text/plain is 415 unsupported_media_type on our routes and on sign-in', async () => {
    const text = { 'content-type': 'text/plain' };
    expect(await codeOf(await post('/api/contacts', { ...member.headers, ...text }, 'x'))).toEqual({
      status: 415,
      code: 'unsupported_media_type',
    });
    expect(await codeOf(await post('/api/auth/sign-in/email', { origin: testOrigin, ...text }, 'x'))).toEqual(
      {
        status: 415,
        code: 'unsupported_media_type',
      },
    );
  });

  it('that is not JSON is 400 malformed_json on our routes and on sign-in', async () => {
    const json = { 'content-type': 'application/json' };
    expect(await codeOf(await post('/api/contacts', { ...member.headers, ...json }, '{'))).toEqual({
      status: 400,
      code: 'malformed_json',
    });
    expect(await codeOf(await post('/api/auth/sign-in/email', { origin: testOrigin, ...json }, '{'))).toEqual(
      {
        status: 400,
        code: 'malformed_json',
      },
    );
  });

  it('sign-out needs no body at all, and answers JSON', async () => {
    const signedIn = await app.signUp();
    const response = await app.request('/api/auth/sign-out', { method: 'POST', headers: signedIn.headers });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ success: true });
  });

  it('sign-in from a client that sends no Origin is accepted; a foreign Origin is refused', async () => {
    const signedUp = await app.signUp();
    const body = JSON.stringify({ email: signedUp.email, password: 'correct horse battery staple' });
    const json = { 'content-type': 'application/json' };
    expect((await post('/api/auth/sign-in/email', json, body)).status).toBe(200);
    const foreign = await post('/api/auth/sign-in/email', { ...json, origin: 'https://evil.example' }, body);
    expect(await codeOf(foreign)).toEqual({ status: 403, code: 'invalid_origin' });
  });
});
