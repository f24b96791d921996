import { openTestDatabase } from '@paylinks/db/testing';
import { createSandboxProvider } from '@paylinks/plugin-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp, testPublicUrl } from '../testing/test-app.js';
import { addTeamMember } from './team-member-fixture.js';
import { createTestKeyProvider } from './test-provider-fixture.js';

let app: TestApp;
let owner: TestMember;
let member: TestMember;
let stranger: TestMember;
let strangerMethodId: string;

beforeAll(async () => {
  app = testApp(await openTestDatabase(), { providers: [createSandboxProvider(), createTestKeyProvider()] });
  owner = await app.signUp('Acme');
  stranger = await app.signUp('Elsewhere');
  member = await addTeamMember(app, owner, 'member');
  const theirs: any = await (await app.call(stranger, 'GET', '/api/payment-methods')).json();
  strangerMethodId = theirs.paymentMethods[0].id;
});
afterAll(() => app.close());

const connect = (who: TestMember, body: unknown) => app.call(who, 'POST', '/api/payment-methods', body);

describe('providers', () => {
  it('lists the installed plugins with their currencies, capabilities and connect form', async () => {
    const response = await app.call(member, 'GET', '/api/payment-methods/providers');
    expect(response.status).toBe(200);
    const { providers }: any = await response.json();
    expect(providers.map((p: { id: string }) => p.id)).toEqual(['sandbox', 'testkey']);
    const sandbox = providers[0];
    expect(sandbox).toMatchObject({ displayName: createSandboxProvider().displayName });
    expect(sandbox.currencies === 'all' || sandbox.currencies.includes('EUR')).toBe(true);
    expect(sandbox.capabilities).toEqual({
      refunds: expect.any(Boolean),
      statusFetch: expect.any(Boolean),
      cancelCheckout: expect.any(Boolean),
      // The sandbox refunds in parts, so the refund form may offer less than what is left.
      partialRefunds: true,
    });
    // The sandbox form is empty: the secret is optional and no generated secret is handed out as a default.
    expect(sandbox.credentialsSchema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(sandbox.credentialsSchema.required ?? []).toEqual([]);
    expect(JSON.stringify(sandbox.credentialsSchema)).not.toMatch(/sbx_whsec_[A-Za-z0-9_-]{43}/);
    expect(providers[1].credentialsSchema).toMatchObject({ required: ['apiKey'] });
  });

  it('refuses an anonymous caller', async () => {
    expect((await app.call(null, 'GET', '/api/payment-methods/providers')).status).toBe(401);
  });
});

describe('connecting and listing', () => {
  it('a new workspace already has the sandbox, in test mode, with its webhook URL', async () => {
    const response = await app.call(owner, 'GET', '/api/payment-methods');
    expect(response.status).toBe(200);
    const { paymentMethods }: any = await response.json();
    expect(paymentMethods).toHaveLength(1);
    expect(paymentMethods[0]).toMatchObject({
      providerId: 'sandbox',
      providerInstalled: true,
      enabled: true,
      mode: 'test',
      webhookUrl: `${testPublicUrl}/api/webhooks/${paymentMethods[0].id}`,
    });
    expect(Object.keys(paymentMethods[0]).sort()).toEqual(
      [
        'capabilities',
        'createdAt',
        'currencies',
        'displayName',
        'enabled',
        'id',
        'mode',
        'providerId',
        'providerInstalled',
        'providerName',
        'webhookUrl',
      ].sort(),
    );
  });

  it('connects a second sandbox under a numbered name, and a keyed provider in live mode', async () => {
    app.clock.set(new Date('2030-01-01T10:00:00Z'));
    const second = await connect(owner, { providerId: 'sandbox', credentials: {} });
    expect(second.status).toBe(201);
    const sandbox: any = await second.json();
    expect(sandbox).toMatchObject({ providerId: 'sandbox', mode: 'test', enabled: true });
    expect(sandbox.displayName).toBe(`${createSandboxProvider().displayName} 2`);

    app.clock.set(new Date('2030-01-01T10:00:01Z'));
    const keyed = await connect(owner, {
      providerId: 'testkey',
      displayName: 'Card payments',
      credentials: { apiKey: 'sk_live_abcdefgh123' },
    });
    expect(keyed.status).toBe(201);
    const method: any = await keyed.json();
    expect(method).toMatchObject({
      providerName: 'Test Key Pay',
      displayName: 'Card payments',
      mode: 'live',
      currencies: ['EUR', 'USD'],
      capabilities: { refunds: false, partialRefunds: false, statusFetch: false, cancelCheckout: false },
    });
    expect(JSON.stringify(method)).not.toContain('sk_live_abcdefgh123');

    const fetched = await app.call(member, 'GET', `/api/payment-methods/${method.id}`);
    expect(await fetched.json()).toEqual(method);
    const list: any = await (await app.call(member, 'GET', '/api/payment-methods')).json();
    expect(list.paymentMethods.map((m: { id: string }) => m.id).slice(-2)).toEqual([sandbox.id, method.id]);
    expect(method.createdAt).toBe('2030-01-01T10:00:01.000Z');
  });

  it('an admin may connect; a member may only look', async () => {
    const admin = await addTeamMember(app, owner, 'admin');
    expect(
      (await connect(admin, { providerId: 'sandbox', displayName: 'Admin sandbox', credentials: {} })).status,
    ).toBe(201);
    const refused = await connect(member, { providerId: 'sandbox', credentials: {} });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'forbidden' });
  });

  it('refuses a name another method already has, whatever its case', async () => {
    const response = await connect(owner, {
      providerId: 'sandbox',
      displayName: 'CARD PAYMENTS',
      credentials: {},
    });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: 'display_name_taken', field: 'displayName' });
  });

  it('keeps another workspace out: its method id is not found, and it never appears in the list', async () => {
    const response = await app.call(owner, 'GET', `/api/payment-methods/${strangerMethodId}`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'not_found', field: 'id' });
    const list: any = await (await app.call(owner, 'GET', '/api/payment-methods')).json();
    expect(list.paymentMethods.map((m: { id: string }) => m.id)).not.toContain(strangerMethodId);
  });

  it.each(['not-a-uuid', '1', 'x'.repeat(5000)])('answers 422 for the id %#', async (id) => {
    const response = await app.call(owner, 'GET', `/api/payment-methods/${id}`);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: 'validation_failed', field: 'id' });
  });
});
