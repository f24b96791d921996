import { openTestDatabase, type TestDatabase } from '@paylinks/db/testing';
import { createSandboxProvider } from '@paylinks/plugin-sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestKeyProvider } from '../payment-methods/test-provider-fixture.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import {
  type CrmFixture,
  checkout,
  createLink,
  crmFixture,
  nextMinute,
  openLink,
  paymentsOfLink,
  testCard,
} from './public-pay-fixtures.js';

// A payment method the team switched off (or whose plugin was removed): the payer learns that paying
// is not possible right now and whom to ask, never the team's own instructions.

let database: TestDatabase;
let app: TestApp;
let ada: TestMember;
let crm: CrmFixture;

beforeAll(async () => {
  database = await openTestDatabase();
  app = testApp(database);
  ada = await app.signUp('Acme');
  crm = await crmFixture(app, ada);
});
afterAll(() => app.close());
beforeEach(async () => {
  nextMinute(app);
  await setEnabled(true);
});

const payer = { email: 'payer@example.com', phone: '+31 6 12345678' };

async function setEnabled(enabled: boolean) {
  const response = await app.call(ada, 'PATCH', `/api/payment-methods/${crm.methodId}`, { enabled });
  expect(response.status).toBe(200);
}

/** What a payer must see: 503 method_unavailable, saying to contact the sender, nothing for the team. */
async function expectUnavailableForPayer(response: Response) {
  expect(response.status).toBe(503);
  const text = await response.text();
  expect(JSON.parse(text)).toMatchObject({
    status: 503,
    code: 'method_unavailable',
    detail: 'This payment method is not available right now. Contact the sender of the link.',
  });
  for (const teamWords of ['payment settings', 'Enable', 'disabled', 'plugin', 'Reconnect', 'Sandbox']) {
    expect(text).not.toContain(teamWords);
  }
}

describe('a link whose payment method is disabled', () => {
  it('answers 503 method_unavailable for the payer and records no click-through', async () => {
    const link = await createLink(app, ada, crm, { origin: 'deal' });
    await setEnabled(false);
    const { response, setCookie } = await openLink(app, link.token);
    await expectUnavailableForPayer(response);
    expect(setCookie).toBeUndefined();
    expect(await paymentsOfLink(app, link.id)).toHaveLength(0);
  });

  it('is payable again once the method is enabled again', async () => {
    const link = await createLink(app, ada, crm, { origin: 'deal' });
    await setEnabled(false);
    await expectUnavailableForPayer((await openLink(app, link.token)).response);
    await setEnabled(true);
    const { response } = await openLink(app, link.token);
    expect(response.status).toBe(200);
    const { paymentId } = (await response.json()) as { paymentId: string };
    const paid = await checkout(app, link.token, { paymentId, ...payer, card: testCard });
    expect(paid.status).toBe(200);
    expect(await paid.json()).toMatchObject({ kind: 'result', status: 'complete' });
  });

  it('refuses a checkout started before it was disabled with the same message, and the payment stays Processing', async () => {
    const link = await createLink(app, ada, crm, { origin: 'deal' });
    const { response } = await openLink(app, link.token);
    const { paymentId } = (await response.json()) as { paymentId: string };
    await setEnabled(false);
    await expectUnavailableForPayer(await checkout(app, link.token, { paymentId, ...payer, card: testCard }));
    const [payment, ...more] = await paymentsOfLink(app, link.id);
    expect(more).toHaveLength(0);
    expect(payment!.status).toBe('processing');
    expect(payment!.providerReference).toBeNull();

    await setEnabled(true);
    const paid = await checkout(app, link.token, { paymentId, ...payer, card: testCard });
    expect(await paid.json()).toMatchObject({ kind: 'result', status: 'complete' });
  });

  it('that has also expired says it expired: the sender has to send a new link either way', async () => {
    const link = await createLink(app, ada, crm, { origin: 'deal', validityDays: 1 });
    await setEnabled(false);
    app.clock.set(new Date(app.clock.now().getTime() + 24 * 60 * 60 * 1000));
    const { response } = await openLink(app, link.token);
    expect(response.status).toBe(410);
    expect(await response.json()).toMatchObject({ code: 'link_expired' });
  });
});

describe('a link whose payment method plugin is no longer installed', () => {
  it('answers the same 503 for the view and the checkout, and records nothing', async () => {
    // A deployment with a second plugin, where the team connected it and made a link on it.
    const withPlugin = testApp(database, { providers: [createSandboxProvider(), createTestKeyProvider()] });
    const connected = await withPlugin.call(ada, 'POST', '/api/payment-methods', {
      providerId: 'testkey',
      credentials: { apiKey: 'sk_test_12345678' },
    });
    expect(connected.status).toBe(201);
    const methodId = ((await connected.json()) as { id: string }).id;
    const link = await createLink(withPlugin, ada, { ...crm, methodId }, { origin: 'deal' });
    const { response } = await openLink(withPlugin, link.token);
    const { paymentId } = (await response.json()) as { paymentId: string };

    // The same database served after the plugin was removed.
    await expectUnavailableForPayer((await openLink(app, link.token)).response);
    await expectUnavailableForPayer(await checkout(app, link.token, { paymentId, ...payer }));
    const [payment, ...more] = await paymentsOfLink(app, link.id);
    expect(more).toHaveLength(0);
    expect(payment!.status).toBe('processing');
  });
});

describe('a link whose method credentials this deployment cannot read', () => {
  it("refuses the checkout with the payer's 503, not the team's instruction to reconnect", async () => {
    const link = await createLink(app, ada, crm, { origin: 'deal' });
    // Another PAYLINKS_SECRET_KEY than the one the credentials were sealed with.
    const otherKey = testApp(database, { secretKey: Buffer.alloc(32, 9) });
    const { response } = await openLink(otherKey, link.token);
    const { paymentId } = (await response.json()) as { paymentId: string };
    await expectUnavailableForPayer(
      await checkout(otherKey, link.token, { paymentId, ...payer, card: testCard }),
    );
    expect((await paymentsOfLink(app, link.id))[0]!.status).toBe('processing');
  });
});

describe('the payment page in the OpenAPI document', () => {
  it('lists 503 method_unavailable for the view and the checkout', async () => {
    const doc: any = await (await app.request('/api/openapi.json')).json();
    for (const path of ['/api/pay/{token}', '/api/pay/{token}/checkout']) {
      const operation = Object.values(doc.paths[path])[0] as any;
      expect(Object.keys(operation.responses), path).toContain('503');
      expect(operation.description, path).toContain('method_unavailable');
    }
  });
});
