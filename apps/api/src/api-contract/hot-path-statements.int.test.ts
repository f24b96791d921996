import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type WorkspaceFixture, workspaceFixture } from '../payments/payments-fixtures.js';
import {
  type CrmFixture,
  checkout,
  createDeal,
  createLink,
  crmFixture,
  nextMinute,
  openLink,
  testCard,
} from '../public-pay/public-pay-fixtures.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import {
  methodCredentials,
  postWebhook,
  sandboxEvent,
  startSandboxCheckout,
} from '../webhooks/webhook-fixtures.js';

// Round trips per request on the paths a payer, a provider and a script hit most (issue 13): every
// statement the database receives, BEGIN and COMMIT included. Each path runs once before it is
// counted, so connection set-up (postgres.js reads the array types once per connection) is not.

let app: TestApp;
let ada: TestMember;
let crm: CrmFixture;
let apiKey: string;
let webhookSecret: string;
let workspace: WorkspaceFixture;

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  ada = await app.signUp('Hot paths');
  crm = await crmFixture(app, ada);
  const automations = await app.call(ada, 'PUT', `/api/pipelines/${crm.pipelineId}/automations`, {
    complete: crm.stages.Won,
  });
  expect(automations.status).toBe(200);
  const key = await app.call(ada, 'POST', '/api/api-keys', { name: 'hot paths' });
  expect(key.status).toBe(201);
  apiKey = ((await key.json()) as { key: string }).key;
  workspace = await workspaceFixture(app.database.db, ada.workspaceId);
  webhookSecret = (await methodCredentials(app.database.db, app, crm.methodId)).webhookSecret;
  // Every path once, uncounted: warm connections, and the API key's once-a-minute write.
  await clickThrough();
  expect((await (await paidCheckout('deal')).start()).status).toBe(200);
  app.sandbox.webhooks.release();
  await app.sandbox.webhooks.idle();
  await firstAndDuplicateWebhook();
  await createLinkWithKey();
});
afterAll(() => app.close());
afterEach(async () => {
  app.sandbox.webhooks.release();
  await app.sandbox.webhooks.idle();
  nextMinute(app);
});

/** The SQL of every statement `work` sends, in order. */
async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const stop = app.database.observeStatements((text) => seen.push(text.replace(/\s+/g, ' ').trim()));
  try {
    await work();
  } finally {
    stop();
  }
  return seen;
}

/** Fails with the statements themselves, so a regression shows what was added. */
function expectAtMost(statements: string[], budget: number, path: string) {
  expect(
    statements.length,
    `${path}: ${statements.length} statements\n${statements.join('\n')}`,
  ).toBeLessThanOrEqual(budget);
}

async function clickThrough() {
  const link = await createLink(app, ada, crm, { origin: 'deal', dealId: await createDeal(app, ada, crm) });
  const first = await openLink(app, link.token);
  expect(first.response.status).toBe(200);
  return { link, cookie: first.cookie! };
}

/** A link opened by a payer, the checkout's webhook held back: what checkout starts from. */
async function openedLink(origin: 'deal' | 'contact') {
  const dealId = origin === 'deal' ? await createDeal(app, ada, crm) : undefined;
  const link = await createLink(app, ada, crm, { origin, ...(dealId ? { dealId } : {}) });
  const opened = await openLink(app, link.token);
  const paymentId = ((await opened.response.json()) as { paymentId: string }).paymentId;
  return { link, paymentId };
}

async function paidCheckout(origin: 'deal' | 'contact') {
  const { link, paymentId } = await openedLink(origin);
  app.sandbox.webhooks.hold();
  const start = () =>
    checkout(app, link.token, {
      paymentId,
      email: 'payer@example.com',
      phone: '+31 6 12345678',
      card: testCard,
    });
  return { start, paymentId };
}

/** A Processing payment with a sandbox checkout, and a signed `paid` event for it not yet delivered. */
async function firstAndDuplicateWebhook() {
  const { paymentId } = await openedLink('deal');
  app.sandbox.webhooks.hold();
  const started = await startSandboxCheckout(app, workspace, {
    id: paymentId,
    amountMinor: 12_050n,
    currency: 'EUR',
  });
  const event = sandboxEvent(started, 'paid', app.clock.now());
  const deliver = () =>
    postWebhook(app, crm.methodId, event.body, { secret: webhookSecret, signedAt: app.clock.now() });
  const first = await statementsOf(async () => expect((await deliver()).status).toBe(200));
  const duplicate = await statementsOf(async () => expect((await deliver()).status).toBe(200));
  return { first, duplicate, paymentId };
}

function createLinkWithKey(headers: Record<string, string> = {}) {
  return app.request('/api/payment-links', {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({
      origin: 'contact',
      contactId: crm.contactId,
      description: 'Workshop seat',
      methodId: crm.methodId,
      amount: '45.00',
      currency: 'EUR',
      validityDays: 14,
    }),
  });
}

describe('statements per request on the hot paths', () => {
  it('a click-through records its payment in at most 3; a refresh by the same visitor too', async () => {
    const link = await createLink(app, ada, crm, { origin: 'deal', dealId: await createDeal(app, ada, crm) });
    let cookie = '';
    const first = await statementsOf(async () => {
      const opened = await openLink(app, link.token);
      expect(opened.response.status).toBe(200);
      expect(((await opened.response.json()) as { paymentId: string | null }).paymentId).not.toBeNull();
      cookie = opened.cookie!;
    });
    expectAtMost(first, 3, 'first visit');
    const refresh = await statementsOf(async () => {
      const opened = await openLink(app, link.token, { cookie });
      expect(opened.response.status).toBe(200);
    });
    expectAtMost(refresh, 3, 'refresh');
    const anotherBrowser = await statementsOf(async () => {
      const opened = await openLink(app, link.token, { cookie: 'paylinks_visitor=AAAAAAAAAAAAAAAAAAAAAA' });
      expect(opened.response.status).toBe(200);
    });
    expectAtMost(anotherBrowser, 3, 'a browser new to this link');
  });

  it.each(['deal', 'contact'] as const)(
    'checkout of a %s link with the sandbox card in at most 8, its webhook in at most 6',
    async (origin) => {
      const { start, paymentId } = await paidCheckout(origin);
      const started = await statementsOf(async () => {
        const response = await start();
        expect(await response.json()).toMatchObject({ kind: 'result', status: 'complete', paymentId });
      });
      expectAtMost(started, 8, `${origin} checkout`);
      // The sandbox's own webhook for the same success: verified, stored, and changes nothing.
      const webhook = await statementsOf(async () => {
        app.sandbox.webhooks.release();
        await app.sandbox.webhooks.idle();
      });
      expect(webhook.length).toBeGreaterThan(0);
      expectAtMost(webhook, 6, `${origin} checkout's webhook`);
    },
  );

  it('a webhook that completes a payment and moves its deal in at most 6; the same event again in at most 2', async () => {
    const { first, duplicate, paymentId } = await firstAndDuplicateWebhook();
    expectAtMost(first, 6, 'first delivery');
    expectAtMost(duplicate, 2, 'duplicate delivery');
    const payment = (await (await app.call(ada, 'GET', `/api/payments/${paymentId}`)).json()) as {
      status: string;
      events: { to: string | null }[];
    };
    expect(payment.status).toBe('complete');
    expect(payment.events.filter((e) => e.to === 'complete')).toHaveLength(1);
  });

  it('link creation with an API key in at most 4; with an Idempotency-Key in at most 6, its replay in at most 3', async () => {
    const plain = await statementsOf(async () => expect((await createLinkWithKey()).status).toBe(201));
    expectAtMost(plain, 4, 'link creation');
    const key = { 'idempotency-key': `hot-path-${Date.now()}` };
    const claimed = await statementsOf(async () => expect((await createLinkWithKey(key)).status).toBe(201));
    expectAtMost(claimed, 6, 'link creation with Idempotency-Key');
    const replayed = await statementsOf(async () => {
      const response = await createLinkWithKey(key);
      expect(response.status).toBe(201);
      expect(response.headers.get('idempotent-replayed')).toBe('true');
    });
    expectAtMost(replayed, 3, 'replay');
  });
});
