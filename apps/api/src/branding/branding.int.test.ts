import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callWithKey, createApiKey } from '../auth/api-key-fixtures.js';
import { createLink, crmFixture } from '../public-pay/public-pay-fixtures.js';
import { type TestApp, type TestMember, testApp, testOrigin } from '../testing/test-app.js';
import { brandLogoPng, svgLogo, webpLogo } from './logo-fixtures.js';
import { loadWorkspaceBranding } from './workspace-branding.js';

let app: TestApp;
let owner: TestMember;
let other: TestMember;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  [owner, other] = await Promise.all([app.signUp('Acme Studio'), app.signUp('Other Shop')]);
});
afterAll(() => app.close());

const json = async (response: Response): Promise<any> => response.json();

const uploadLogo = (member: TestMember, bytes: Uint8Array, type: string) =>
  app.request('/api/branding/logo', {
    method: 'PUT',
    headers: { ...member.headers, 'content-type': type },
    body: bytes as Uint8Array<ArrayBuffer>,
  });

const brand = {
  displayName: 'Acme',
  accentColor: '#2563EB',
  supportEmail: 'help@acme.example',
  supportUrl: 'https://acme.example/help',
  thankYouMessage: 'Thank you! We start on Monday.',
};

describe('branding settings', () => {
  it('a workspace that never set any shows its own name and the default look', async () => {
    const body = await json(await app.call(other, 'GET', '/api/branding'));
    expect(body).toMatchObject({
      workspaceName: 'Other Shop',
      displayName: null,
      accentColor: null,
      logo: null,
    });
    expect(await loadWorkspaceBranding(app.database.db, other.workspaceId)).toMatchObject({
      displayName: 'Other Shop',
      logoUrl: null,
    });
  });

  it('an owner sets every field; PATCH changes only what it sends; the read for mail agrees', async () => {
    const put = await app.call(owner, 'PUT', '/api/branding', brand);
    expect(put.status).toBe(200);
    expect(await json(put)).toMatchObject({ ...brand, accentColor: '#2563eb', darkScheme: true });
    const patched = await json(await app.call(owner, 'PATCH', '/api/branding', { accentColor: '#1d4ed8' }));
    expect(patched).toMatchObject({ displayName: 'Acme', accentColor: '#1d4ed8', darkScheme: false });
    // '' clears a field, as an emptied form input sends it.
    const cleared = await json(await app.call(owner, 'PATCH', '/api/branding', { displayName: '' }));
    expect(cleared.displayName).toBeNull();
    expect(await loadWorkspaceBranding(app.database.db, owner.workspaceId)).toMatchObject({
      displayName: 'Acme Studio',
      accentColor: '#1d4ed8',
      supportEmail: 'help@acme.example',
    });
    await app.call(owner, 'PUT', '/api/branding', brand);
  });

  it('refuses a low-contrast colour with the contrast reached and needed, and keeps what was stored', async () => {
    const response = await app.call(owner, 'PATCH', '/api/branding', {
      accentColor: '#ffcc00',
      displayName: 'X',
    });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = await json(response);
    expect(problem.field).toBe('accentColor');
    expect(problem.errors[0].code).toBe('insufficient_contrast');
    expect(problem.detail).toMatch(/1\.38:1 .*4\.5:1/);
    expect((await json(await app.call(owner, 'GET', '/api/branding'))).displayName).toBe('Acme');
  });

  it('refuses bad input field by field', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ accentColor: 'blue' }, 'accentColor', 'invalid_regex'],
      [{ supportUrl: 'http://acme.example' }, 'supportUrl', 'invalid_url'],
      [{ supportEmail: 'not an email' }, 'supportEmail', 'invalid_email'],
      [{ displayName: 'x'.repeat(81) }, 'displayName', 'too_big'],
      [{ thankYouMessage: 'x'.repeat(501) }, 'thankYouMessage', 'too_big'],
      [{ logo: 'x' }, 'logo', 'unknown_field'],
    ];
    for (const [body, field, code] of cases) {
      const problem = await json(await app.call(owner, 'PATCH', '/api/branding', body));
      expect(problem, JSON.stringify(body)).toMatchObject({ status: 422, field });
      expect(problem.errors[0].code).toBe(code);
    }
  });

  it('members and read or payments API keys are refused', async () => {
    const member = await app.addMember(owner, 'member');
    expect((await app.call(member, 'GET', '/api/branding')).status).toBe(403);
    expect((await app.call(member, 'PATCH', '/api/branding', { displayName: 'Mine' })).status).toBe(403);
    expect((await uploadLogo(member, brandLogoPng(), 'image/png')).status).toBe(403);
    for (const scope of ['read', 'payments'] as const) {
      const { key } = await createApiKey(app, owner, `branding ${scope}`, { scope });
      const response = await callWithKey(app, key, 'PATCH', '/api/branding', { displayName: 'Key' });
      expect(response.status).toBe(403);
      expect((await json(response)).code).toBe('insufficient_scope');
    }
    expect((await json(await app.call(owner, 'GET', '/api/branding'))).displayName).toBe('Acme');
  });
});

describe('the logo', () => {
  it('is stored, served from our origin with an immutable cache and ETag, 304 when unchanged', async () => {
    const png = brandLogoPng();
    const uploaded = await uploadLogo(owner, png, 'image/png');
    expect(uploaded.status).toBe(200);
    const { logo } = await json(uploaded);
    expect(logo).toMatchObject({ contentType: 'image/png', byteSize: png.length });
    const served = await app.request(logo.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
    const etag = served.headers.get('etag')!;
    const again = await app.request(logo.url, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('two instances on one database serve the same logo with the same ETag', async () => {
    const { logo } = await json(await app.call(owner, 'GET', '/api/branding'));
    // A second app context on the same database: what another instance behind the balancer is.
    const second = testApp(app.database);
    const [a, b] = await Promise.all([app.request(logo.url), second.request(logo.url)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.headers.get('etag')).toBe(a.headers.get('etag'));
    expect(Buffer.from(await b.arrayBuffer()).equals(Buffer.from(await a.arrayBuffer()))).toBe(true);
  });

  it("another workspace's id with this logo's hash, an unknown one, and a replaced logo are 404", async () => {
    const { logo } = await json(await app.call(owner, 'GET', '/api/branding'));
    const otherLogo = (await json(await uploadLogo(other, webpLogo, 'image/webp'))).logo;
    const [ownId, sha] = logo.url.split('/').slice(-2);
    const otherId = otherLogo.url.split('/').at(-2);
    expect((await app.request(`/api/branding/logo/${otherId}/${sha}`)).status).toBe(404);
    expect((await app.request(`/api/branding/logo/${ownId}/${'0'.repeat(64)}`)).status).toBe(404);
    expect((await app.request(`/api/branding/logo/nobody/${sha}`)).status).toBe(404);
    const removed = await json(await app.call(other, 'DELETE', '/api/branding/logo'));
    expect(removed.logo).toBeNull();
    expect((await app.request(otherLogo.url)).status).toBe(404);
  });

  it('refuses an SVG, a PNG sent as JPEG, and a 5 MB body, with problem+json; the stored logo stays', async () => {
    const before = (await json(await app.call(owner, 'GET', '/api/branding'))).logo;
    const svg = await uploadLogo(owner, svgLogo, 'image/svg+xml');
    expect([svg.status, (await json(svg)).code]).toEqual([422, 'logo_unsupported_type']);
    const renamed = await uploadLogo(owner, brandLogoPng([200, 0, 0]), 'image/jpeg');
    expect(renamed.status).toBe(422);
    expect(await json(renamed)).toMatchObject({ code: 'logo_type_mismatch', field: 'logo' });
    const huge = Buffer.concat([brandLogoPng(), Buffer.alloc(5 * 1024 * 1024)]);
    const tooLarge = await uploadLogo(owner, huge, 'image/png');
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('content-type')).toContain('application/problem+json');
    expect((await json(tooLarge)).code).toBe('payload_too_large');
    expect((await json(await app.call(owner, 'GET', '/api/branding'))).logo).toEqual(before);
  });
});

describe("the payer pages' branding", () => {
  it("a link's token gives only what payers see, with the colours' stylesheet; the stylesheet is cached for good", async () => {
    const crm = await crmFixture(app, owner);
    const link = await createLink(app, owner, crm, { origin: 'contact' });
    const response = await app.request(`/api/branding/pay/${link.token}`);
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(Object.keys(body).sort()).toEqual(
      [
        'accentColor',
        'displayName',
        'logoUrl',
        'stylesheetUrl',
        'supportEmail',
        'supportUrl',
        'thankYouMessage',
      ].sort(),
    );
    expect(body).toMatchObject({ displayName: 'Acme', stylesheetUrl: '/api/branding/theme/2563eb.css' });
    expect(body.logoUrl).toMatch(/^\/api\/branding\/logo\//);
    expect(JSON.stringify(body)).not.toContain(owner.workspaceId);
    const css = await app.request(body.stylesheetUrl);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toContain('immutable');
    expect(await css.text()).toContain('--color-accent:#2563eb');
    expect((await app.request('/api/branding/theme/ffcc00.css')).status).toBe(404);
    // A deleted link's page is still the workspace's page.
    await app.call(owner, 'DELETE', `/api/payment-links/${link.id}`);
    expect((await app.request(`/api/branding/pay/${link.token}`)).status).toBe(200);
    expect((await app.request(`/api/branding/pay/${'A'.repeat(22)}`)).status).toBe(404);
  });

  it('a cookie-signed change from a foreign origin is refused', async () => {
    const response = await app.request('/api/branding', {
      method: 'PATCH',
      headers: { ...owner.headers, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Evil' }),
    });
    expect(response.status).toBe(403);
    expect(testOrigin).not.toBe('https://evil.example');
  });
});
