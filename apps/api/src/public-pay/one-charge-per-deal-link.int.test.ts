import { deals, payments } from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import { createSandboxProvider } from '@paylinks/plugin-sandbox';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProviderRegistry } from '../payment-methods/provider-registry.js';
import { closeSupersededCheckouts } from '../payments/close-superseded-checkouts.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { createHostedTestProvider } from './hosted-provider-fixture.js';
import {
  type CrmFixture,
  checkout,
  createDeal,
  createLink,
  crmFixture,
  nextMinute,
  openLink,
  paymentsOfLink,
  testCard,
} from './public-pay-fixtures.js';

type Json = any;

const hosted = createHostedTestProvider();
let app: TestApp;
let ada: TestMember;
let crm: CrmFixture;
let hostedMethodId: string;

beforeAll(async () => {
  const sandbox = createSandboxProvider();
  app = testApp(await openTestDatabase(), { providers: [sandbox, hosted.provider] });
  ada = await app.signUp('Acme');
  crm = await crmFixture(app, ada);
  const connected = await app.call(ada, 'POST', '/api/payment-methods', {
    providerId: 'hosted',
    credentials: {},
  });
  expect(connected.status).toBe(201);
  hostedMethodId = ((await connected.json()) as Json).id;
  const automations = await app.call(ada, 'PUT', `/api/pipelines/${crm.pipelineId}/automations`, {
    complete: crm.stages.Won,
    returned: crm.stages.Lost,
  });
  expect(automations.status).toBe(200);
});
afterAll(() => app.close());
beforeEach(() => nextMinute(app));

const payer = { email: 'payer@example.com', phone: '+31 6 12345678' };

/** A deal link opened by two browsers: two payments, one per visitor. */
async function dealLinkOpenedTwice(methodId: string) {
  const dealId = await createDeal(app, ada, crm);
  const link = await createLink(app, ada, { ...crm, methodId }, { origin: 'deal', dealId });
  const ids: string[] = [];
  for (const _ of [0, 1]) {
    const { response } = await openLink(app, link.token);
    ids.push(((await response.json()) as Json).paymentId);
  }
  return { dealId, link, first: ids[0]!, second: ids[1]! };
}

async function redirected(token: string, paymentId: string): Promise<string> {
  const response = await checkout(app, token, { paymentId, ...payer });
  expect(response.status).toBe(200);
  expect(((await response.json()) as Json).kind).toBe('redirect');
  const [row] = await app.database.db.select().from(payments).where(eq(payments.id, paymentId));
  return row!.providerReference!;
}

function deliver(webhook: { body: string; headers: Record<string, string> }) {
  return app.request(`/api/webhooks/${hostedMethodId}`, { method: 'POST', ...webhook });
}

async function payment(id: string): Promise<Json> {
  return (await app.call(ada, 'GET', `/api/payments/${id}`)).json();
}

async function dealStage(dealId: string) {
  const [deal] = await app.database.db.select().from(deals).where(eq(deals.id, dealId));
  return deal!.stageId;
}

describe('one charge per deal link, with a hosted checkout', () => {
  it('closes the other open checkout at the provider when one payment succeeds', async () => {
    const { dealId, link, first, second } = await dealLinkOpenedTwice(hostedMethodId);
    const firstRef = await redirected(link.token, first);
    const secondRef = await redirected(link.token, second);

    expect((await deliver(hosted.pay(firstRef))).status).toBe(200);

    expect(hosted.cancelled).toContain(secondRef);
    expect(hosted.cancelled).not.toContain(firstRef);
    expect(hosted.status(secondRef)).toBe('closed');
    expect(await payment(first)).toMatchObject({ status: 'complete', duplicate: false });
    expect(await payment(second)).toMatchObject({ status: 'cancelled', duplicate: false });
    expect(await dealStage(dealId)).toBe(crm.stages.Won);
    // The link is paid: a third browser is told so and records nothing.
    const third = await openLink(app, link.token);
    expect(third.response.status).toBe(410);
    expect(await paymentsOfLink(app, link.id)).toHaveLength(2);
  });

  it('records a success that still arrives as a duplicate, offers its refund, and leaves the deal alone', async () => {
    const { dealId, link, first, second } = await dealLinkOpenedTwice(hostedMethodId);
    const firstRef = await redirected(link.token, first);
    const secondRef = await redirected(link.token, second);
    // The second payer finished on the hosted page before we could close it.
    const lateSuccess = hosted.pay(secondRef);
    expect((await deliver(hosted.pay(firstRef))).status).toBe(200);
    expect(hosted.cancelled).toContain(secondRef);
    expect(hosted.status(secondRef)).toBe('paid');
    expect((await payment(second)).status).toBe('processing');

    expect((await deliver(lateSuccess)).status).toBe(200);
    const duplicate = await payment(second);
    expect(duplicate).toMatchObject({ status: 'complete', duplicate: true, late: false });
    expect(await payment(first)).toMatchObject({ status: 'complete', duplicate: false });
    const flagged = ((await (await app.call(ada, 'GET', `/api/payments?dealId=${dealId}`)).json()) as Json)
      .items;
    expect(flagged.map((p: Json) => [p.id, p.duplicate]).sort()).toEqual(
      [
        [first, false],
        [second, true],
      ].sort(),
    );

    const refund = await app.call(ada, 'POST', `/api/payments/${second}/refunds`, {});
    expect(refund.status).toBe(200);
    expect((await payment(second)).status).toBe('returned');
    // Refunding the double charge is not the deal being lost: the automation for Returned stays out.
    expect(await dealStage(dealId)).toBe(crm.stages.Won);
  });

  it('closes what a manual confirmation left open on the next sweep, once, across sweeps', async () => {
    const { link, first, second } = await dealLinkOpenedTwice(hostedMethodId);
    await redirected(link.token, first);
    const secondRef = await redirected(link.token, second);
    const confirmed = await app.call(ada, 'POST', `/api/payments/${first}/confirm`, {
      note: 'Paid by bank transfer',
    });
    expect(confirmed.status).toBe(200);
    expect(hosted.status(secondRef)).toBe('open');

    const deps = {
      db: app.database.db,
      clock: app.clock,
      logger: app.logger,
      secretKey: Buffer.alloc(32, 1),
      providers: createProviderRegistry([hosted.provider]),
    };
    const sweeps = await Promise.all([
      closeSupersededCheckouts(deps, 'all'),
      closeSupersededCheckouts(deps, 'all'),
    ]);
    expect(sweeps.reduce((a, b) => a + b, 0)).toBe(1);
    expect(hosted.status(secondRef)).toBe('closed');
    expect(hosted.cancelled.filter((ref) => ref === secondRef)).toHaveLength(1);
    expect((await payment(second)).status).toBe('cancelled');
    expect(await closeSupersededCheckouts(deps, 'all')).toBe(0);
  });
});

describe('one charge per deal link, with an immediate method (the sandbox)', () => {
  it('two payers at the same moment: one Complete, the other 410 link_paid and never charged', async () => {
    for (let round = 0; round < 5; round++) {
      nextMinute(app);
      const { link, first, second } = await dealLinkOpenedTwice(crm.methodId);
      const answers = await Promise.all(
        [first, second].map((paymentId) =>
          checkout(app, link.token, { paymentId, ...payer, card: testCard }),
        ),
      );
      const summary = await Promise.all(
        answers.map(async (a) => {
          const body = (await a.json()) as Json;
          return a.status === 200 ? `200 ${body.status}` : `${a.status} ${body.code}`;
        }),
      );
      expect(summary.sort()).toEqual(['200 complete', '410 link_paid']);
      const rows = await paymentsOfLink(app, link.id);
      expect(rows.filter((row) => row.status === 'complete')).toHaveLength(1);
      expect(rows.filter((row) => row.providerReference !== null)).toHaveLength(1);
    }
  });
});

describe('a contact link', () => {
  it('creates its deal when a payment succeeds, not at a declined attempt', async () => {
    const link = await createLink(app, ada, crm, { origin: 'contact' });
    const dealsBefore = await app.database.db.select().from(deals);
    const { response } = await openLink(app, link.token);
    const paymentId = ((await response.json()) as Json).paymentId;
    const declined = await checkout(app, link.token, {
      paymentId,
      ...payer,
      card: { ...testCard, cardNumber: '4000 0000 0000 0002' },
    });
    expect(declined.status).toBe(402);
    expect(await app.database.db.select().from(deals)).toHaveLength(dealsBefore.length);
    expect((await payment(paymentId)).dealId).toBeNull();

    nextMinute(app);
    const retry = await openLink(app, link.token);
    const retryId = ((await retry.response.json()) as Json).paymentId;
    const paid = await checkout(app, link.token, { paymentId: retryId, ...payer, card: testCard });
    expect(paid.status).toBe(200);
    expect(await app.database.db.select().from(deals)).toHaveLength(dealsBefore.length + 1);
    expect((await payment(retryId)).dealId).not.toBeNull();
  });
});
