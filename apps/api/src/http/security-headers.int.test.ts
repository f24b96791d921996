import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { docsPolicy } from './openapi-routes.js';

let app: TestApp;
let owner: TestMember;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Headers');
});
afterAll(() => app.close());

function expectHardened(response: Response, what: string) {
  expect(response.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(response.headers.get('referrer-policy'), what).toBe('same-origin');
  expect(response.headers.get('x-frame-options'), what).toBe('DENY');
  expect(response.headers.get('content-security-policy'), what).toContain("frame-ancestors 'none'");
}

describe('security headers', () => {
  it('are on successes, refusals, errors and 404s alike', async () => {
    const answers: [string, Response][] = [
      ['health', await app.request('/api/health')],
      ['openapi', await app.request('/api/openapi.json')],
      ['signed-in list', await app.call(owner, 'GET', '/api/contacts')],
      ['CSV export', await app.call(owner, 'GET', '/api/payments/export.csv')],
      ['401', await app.call(null, 'GET', '/api/contacts')],
      [
        '403 cross-origin',
        await app.call({ ...owner, headers: { cookie: owner.headers.cookie! } }, 'POST', '/api/contacts', {}),
      ],
      ['422', await app.call(owner, 'POST', '/api/contacts', { name: '' })],
      ['413', await app.call(null, 'POST', '/api/signup', 'x'.repeat(70_000))],
      ['404 route', await app.call(owner, 'GET', '/api/nothing-here')],
      ['404 outside the API', await app.request('/nothing-here')],
      ['404 row', await app.call(owner, 'GET', '/api/contacts/00000000-0000-4000-8000-000000000000')],
      ['404 payment page', await app.request('/api/pay/not-a-token')],
    ];
    expect(answers.map(([what, r]) => `${what} ${r.status}`)).toEqual([
      'health 200',
      'openapi 200',
      'signed-in list 200',
      'CSV export 200',
      '401 401',
      '403 cross-origin 403',
      '422 422',
      '413 413',
      '404 route 404',
      '404 outside the API 404',
      '404 row 404',
      '404 payment page 404',
    ]);
    for (const [what, response] of answers) {
      expectHardened(response, what);
      expect(response.headers.get('content-security-policy'), what).toContain("default-src 'none'");
      expect(response.headers.get('strict-transport-security'), what).toBeNull();
    }
  });

  it('the docs page gets a policy that lets only our own scripts run', async () => {
    const response = await app.request('/api/docs');
    expect(response.status).toBe(200);
    expectHardened(response, 'docs');
    expect(response.headers.get('content-security-policy')).toBe(docsPolicy);
    const page = await response.text();
    // Everything it loads is ours; nothing inline that the policy would block.
    for (const src of page.matchAll(/(?:src|href)="([^"]+)"/g)) expect(src[1]).toMatch(/^\/api\/docs\//);
    expect(page).not.toMatch(/<script>(?!<\/script>)/);
    for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css', 'init.js']) {
      const asset = await app.request(`/api/docs/${file}`);
      expect(asset.status, file).toBe(200);
      expectHardened(asset, file);
    }
  });

  it('HSTS is sent when PUBLIC_URL is https', async () => {
    const secure = testApp(app.database, { config: { publicUrl: 'https://pay.example.com' } });
    const ok = await secure.request('/api/health');
    const missing = await secure.request('/api/nothing-here');
    for (const response of [ok, missing]) {
      expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000');
    }
  });
});
