import { webhookEndpoints } from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callWithKey, createApiKey } from '../auth/api-key-fixtures.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { addEndpoint } from './webhook-endpoint-fixtures.js';

// No PAYLINKS_WEBHOOKS_ALLOW_PRIVATE here: the refusals are what this file is about.
let app: TestApp;
let owner: TestMember;
let rival: TestMember;

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  [owner, rival] = await Promise.all([app.signUp('Acme'), app.signUp('Rival')]);
});
afterAll(() => app.close());

const json = async (response: Response): Promise<any> => response.json();
// A public address literal: saving it needs no DNS, and nothing is sent in this file.
const publicUrl = 'https://93.184.215.14/hooks/paylinks';

describe('adding an endpoint', () => {
  it('shows a whsec_ secret once, keeps it encrypted, and never returns it again', async () => {
    const response = await app.call(owner, 'POST', '/api/webhook-endpoints', {
      url: publicUrl,
      eventTypes: ['payment.status_changed', 'payment.created'],
      description: 'CRM sync',
    });
    expect(response.status).toBe(201);
    const created = await json(response);
    expect(created).toMatchObject({
      url: publicUrl,
      description: 'CRM sync',
      eventTypes: ['payment.status_changed', 'payment.created'],
      enabled: true,
      previousSecretExpiresAt: null,
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    // Listed oldest first: the second one a second later.
    app.clock.set(new Date(app.clock.now().getTime() + 1_000));
    const other = await addEndpoint(app, owner, { url: publicUrl });
    expect(other.secret).not.toBe(created.secret);

    const read = await json(await app.call(owner, 'GET', `/api/webhook-endpoints/${created.id}`));
    expect(read).not.toHaveProperty('secret');
    const list = await json(await app.call(owner, 'GET', '/api/webhook-endpoints'));
    expect(list.webhookEndpoints.map((e: any) => e.id)).toEqual([created.id, other.id]);
    expect(JSON.stringify(list)).not.toContain(created.secret);

    const [row] = await app.database.db
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.id, created.id));
    const stored = JSON.stringify(row, (_key, value) =>
      value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value,
    );
    expect(stored).not.toContain(created.secret.slice(6));
    expect(app.logger.lines.map((entry) => JSON.stringify(entry)).join('\n')).not.toContain(created.secret);
  });

  it('changes URL, types and enabled; a rotation shows a new secret and until when the old one signs', async () => {
    const endpoint = await addEndpoint(app, owner, { url: publicUrl });
    const patched = await app.call(owner, 'PATCH', `/api/webhook-endpoints/${endpoint.id}`, {
      url: 'https://93.184.215.15/other',
      eventTypes: ['link.created'],
      enabled: false,
    });
    expect(patched.status).toBe(200);
    expect(await json(patched)).toMatchObject({
      url: 'https://93.184.215.15/other',
      eventTypes: ['link.created'],
      enabled: false,
    });
    const rotated = await app.call(owner, 'POST', `/api/webhook-endpoints/${endpoint.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const body = await json(rotated);
    expect(body.secret).toMatch(/^whsec_/);
    expect(body.secret).not.toBe(endpoint.secret);
    expect(body.previousSecretExpiresAt).toBe(new Date(app.clock.now().getTime() + 86_400_000).toISOString());

    expect((await app.call(owner, 'DELETE', `/api/webhook-endpoints/${endpoint.id}`)).status).toBe(204);
    expect((await app.call(owner, 'GET', `/api/webhook-endpoints/${endpoint.id}`)).status).toBe(404);
  });
});

describe('SSRF: endpoints never point at private addresses or at Paylinks', () => {
  it.each([
    ['http://127.0.0.1:8080/hooks', 'loopback'],
    ['http://10.0.0.7/hooks', 'private network'],
    ['http://169.254.169.254/latest/meta-data/', 'cloud metadata'],
    ['http://[::ffff:127.0.0.1]/hooks', 'IPv4-mapped loopback'],
    ['http://localhost:4567/hooks', 'a name resolving to loopback'],
    ['http://localhost:3000/api/payments', 'Paylinks itself (PUBLIC_URL)'],
    ['ftp://93.184.215.14/hooks', 'not http(s)'],
    ['https://admin:secret@93.184.215.14/hooks', 'credentials in the URL'],
  ])('%s (%s) is refused with 422 naming the url, and nothing is stored', async (url) => {
    const before = await app.database.db.select().from(webhookEndpoints);
    const response = await app.call(owner, 'POST', '/api/webhook-endpoints', { url });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await json(response)).toMatchObject({ code: 'webhook_url_not_allowed', field: 'url' });
    expect(await app.database.db.select().from(webhookEndpoints)).toHaveLength(before.length);
  });

  it('refuses a change of URL to a private address and keeps the old one', async () => {
    const endpoint = await addEndpoint(app, owner, { url: publicUrl });
    const response = await app.call(owner, 'PATCH', `/api/webhook-endpoints/${endpoint.id}`, {
      url: 'http://192.168.0.10/hooks',
    });
    expect(response.status).toBe(422);
    expect(await json(response)).toMatchObject({ code: 'webhook_url_not_allowed', field: 'url' });
    expect((await json(await app.call(owner, 'GET', `/api/webhook-endpoints/${endpoint.id}`))).url).toBe(
      publicUrl,
    );
  });

  it('refuses a host that does not resolve, naming the url', async () => {
    const response = await app.call(owner, 'POST', '/api/webhook-endpoints', {
      url: 'https://no-such-host.invalid/hooks',
    });
    expect(response.status).toBe(422);
    expect(await json(response)).toMatchObject({ code: 'webhook_url_unresolvable', field: 'url' });
  });
});

describe('who may manage endpoints', () => {
  it("answers another workspace's endpoint and its deliveries with 404, and changes nothing", async () => {
    const endpoint = await addEndpoint(app, owner, { url: publicUrl });
    const base = `/api/webhook-endpoints/${endpoint.id}`;
    const deliveryId = crypto.randomUUID();
    for (const [method, path, body] of [
      ['GET', base],
      ['PATCH', base, { enabled: false }],
      ['POST', `${base}/rotate-secret`],
      ['GET', `${base}/deliveries`],
      ['POST', `${base}/deliveries/${deliveryId}/resend`],
      ['DELETE', base],
    ] as const) {
      const response = await app.call(rival, method, path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    const list = await json(await app.call(rival, 'GET', '/api/webhook-endpoints'));
    expect(list.webhookEndpoints).toEqual([]);
    expect(await json(await app.call(owner, 'GET', base))).toMatchObject({ enabled: true });
  });

  it('refuses members and API keys without scope all (403), and lets an all-scope key manage', async () => {
    const member = await app.addMember(owner, 'member');
    const refusedMember = await app.call(member, 'GET', '/api/webhook-endpoints');
    expect(refusedMember.status).toBe(403);
    expect(await json(refusedMember)).toMatchObject({ code: 'forbidden' });

    for (const scope of ['read', 'payments'] as const) {
      const { key } = await createApiKey(app, owner, `${scope} key`, { scope });
      for (const [method, body] of [['GET'], ['POST', { url: publicUrl }]] as const) {
        const response = await callWithKey(app, key, method, '/api/webhook-endpoints', body);
        expect(response.status, `${scope} ${method}`).toBe(403);
        expect(await json(response)).toMatchObject({ code: 'insufficient_scope' });
      }
    }
    const { key } = await createApiKey(app, owner, 'integration', { scope: 'all' });
    const created = await callWithKey(app, key, 'POST', '/api/webhook-endpoints', { url: publicUrl });
    expect(created.status).toBe(201);
    expect((await callWithKey(app, key, 'GET', '/api/webhook-endpoints')).status).toBe(200);
  });
});
