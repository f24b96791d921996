import { deals, payments } from '@paylinks/db';
import { openTestDatabase, testDriver } from '@paylinks/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnyPaymentProvider, createProviderRegistry } from '../payment-methods/provider-registry.js';
import { setAutomation, type WorkspaceFixture, workspaceFixture } from '../payments/payments-fixtures.js';
import { statusFetchIntervalMs } from '../payments/status-fetch-claim.js';
import { openLink } from '../public-pay/public-pay-fixtures.js';
import { slowProvider, type TimedResponse, timeRequests } from '../testing/slow-provider.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { dealPayment, paymentState, startSandboxCheckout } from '../webhooks/webhook-fixtures.js';
import { reconcileLeaseMs, reconcileStalePayments, startReconciliationLoop } from './reconciliation.js';

let app: TestApp;
let owner: TestMember;
let w: WorkspaceFixture;

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Reconcile');
  w = await workspaceFixture(app.database.db, owner.workspaceId);
  await setAutomation(app.database.db, w, 'complete', 'Won');
  // Every webhook of this file is lost: held and never released.
  app.sandbox.webhooks.hold();
});
afterAll(() => app.close());

const db = () => app.database.db;
const options = { olderThanMs: 10 * 60_000, limit: 50 };

// A slow provider keeps a run busy long enough for another run, or other requests, to overlap it.
function deps(
  fetchDelayMs = 0,
  provider: AnyPaymentProvider = slowProvider(app.sandbox.provider, fetchDelayMs),
) {
  return {
    db: db(),
    clock: app.clock,
    logger: app.logger,
    secretKey: Buffer.alloc(32, 1),
    providers: createProviderRegistry([provider]),
  };
}

/** A Processing payment whose checkout was paid but whose webhook never arrived. */
async function lostWebhookPayment() {
  const { payment, deal } = await dealPayment(app, w);
  const checkout = await startSandboxCheckout(app, w, payment);
  // What starting the checkout records on our side.
  await db()
    .update(payments)
    .set({ providerReference: checkout.reference })
    .where(eq(payments.id, payment.id));
  return { payment, deal };
}

describe('reconcileStalePayments', () => {
  it('completes a Processing payment whose webhook was lost, through the apply path', async () => {
    const { payment, deal } = await lostWebhookPayment();
    const report = await reconcileStalePayments(deps(), options);
    expect(report).toMatchObject({ checked: 1, changed: 1, failed: 0 });
    const state = await paymentState(db(), payment.id, w.methodId);
    expect(state.payment.status).toBe('complete');
    expect(state.transitions).toEqual([
      expect.objectContaining({ fromStatus: 'processing', toStatus: 'complete', source: 'reconciliation' }),
    ]);
    const [after] = await db().select().from(deals).where(eq(deals.id, deal.id));
    expect(after!.stageId).toBe(w.stages.Won);
    // The return page counts this as its provider call, so a payer polling right now waits a turn.
    expect(state.payment.statusFetchedAt).toEqual(app.clock.now());
    // Nothing left to do on the next run.
    expect(await reconcileStalePayments(deps(), options)).toMatchObject({ checked: 0 });
  });

  it('leaves payments alone that changed recently or have no provider reference yet', async () => {
    const recent = await lostWebhookPayment();
    await db()
      .update(payments)
      .set({ statusChangedAt: app.clock.now() })
      .where(eq(payments.id, recent.payment.id));
    const noCheckout = await dealPayment(app, w);
    expect(await reconcileStalePayments(deps(), options)).toMatchObject({ checked: 0 });
    expect((await paymentState(db(), recent.payment.id, w.methodId)).payment.status).toBe('processing');
    expect((await paymentState(db(), noCheckout.payment.id, w.methodId)).payment.status).toBe('processing');
    // Once it has waited long enough, it is picked up.
    app.clock.set(new Date(app.clock.now().getTime() + 11 * 60_000));
    expect(await reconcileStalePayments(deps(), options)).toMatchObject({ checked: 1, changed: 1 });
  });

  it('never processes one payment twice when two runs overlap', async () => {
    const lost = await Promise.all(Array.from({ length: 6 }, () => lostWebhookPayment()));
    const provider = slowProvider(app.sandbox.provider, 20);
    const reports = await Promise.all([
      reconcileStalePayments(deps(20, provider), options),
      reconcileStalePayments(deps(20, provider), options),
    ]);
    expect(reports[0]!.checked + reports[1]!.checked).toBe(6);
    expect(provider.calls.fetchStatus).toBe(6);
    for (const { payment } of lost) {
      const state = await paymentState(db(), payment.id, w.methodId);
      expect(state.payment.status).toBe('complete');
      expect(state.events.filter((e) => e.source === 'reconciliation')).toHaveLength(1);
    }
  });

  it('other requests answer in normal time while a run waits on a slow provider', async () => {
    const lost = await Promise.all(Array.from({ length: 3 }, () => lostWebhookPayment()));
    const page = await dealPayment(app, w);
    const provider = slowProvider(app.sandbox.provider, 2000);
    const requests = {
      health: () => app.request('/api/health'),
      contacts: () => app.call(owner, 'GET', '/api/contacts'),
      'payment page': async () => (await openLink(app, page.link.token)).response,
    };
    await timeRequests(requests); // warm: first calls pay for loading code, not for waiting
    const run = reconcileStalePayments(deps(0, provider), options);
    const timed: TimedResponse[] = [];
    // Each time the run is waiting on the provider for one of the payments.
    while ((await Promise.race([provider.nextCall(), run])) === 'fetchStatus') {
      timed.push(...(await timeRequests(requests)));
    }
    expect(timed).toHaveLength(3 * Object.keys(requests).length);
    expect(await run).toMatchObject({ checked: 3, changed: 3, failed: 0 });
    for (const answer of timed) {
      expect(answer.status, answer.label).toBe(200);
      expect(answer.ms, `${answer.label} took ${answer.ms} ms`).toBeLessThan(provider.delayMs / 4);
    }
    for (const { payment } of lost) {
      expect((await paymentState(db(), payment.id, w.methodId)).payment.status).toBe('complete');
    }
  });

  it("leaves a crashed run's payments to the next run once its claim has expired", async () => {
    const { payment } = await lostWebhookPayment();
    // A run that never hears back: its process died while waiting on the provider.
    let reached!: () => void;
    const atProvider = new Promise<void>((resolve) => (reached = resolve));
    const vanished = {
      ...app.sandbox.provider,
      fetchStatus: () => {
        reached();
        return new Promise<never>(() => {});
      },
    };
    void reconcileStalePayments(deps(0, vanished), options);
    await atProvider;
    expect(await reconcileStalePayments(deps(), options)).toMatchObject({ checked: 0 });
    expect((await paymentState(db(), payment.id, w.methodId)).payment.status).toBe('processing');
    app.clock.set(new Date(app.clock.now().getTime() + reconcileLeaseMs + 1000));
    expect(await reconcileStalePayments(deps(), options)).toMatchObject({ checked: 1, changed: 1 });
    expect((await paymentState(db(), payment.id, w.methodId)).payment.status).toBe('complete');
  });

  it.skipIf(testDriver() !== 'postgres')(
    'skips a payment another transaction holds (a webhook being applied) (PostgreSQL)',
    async () => {
      const { payment } = await lostWebhookPayment();
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holder = db().transaction(async (tx) => {
        await tx.select().from(payments).where(eq(payments.id, payment.id)).for('update');
        locked();
        await released;
      });
      await isLocked;
      const report = await reconcileStalePayments(deps(), options);
      release();
      await holder;
      expect(report.checked).toBe(0);
      expect((await paymentState(db(), payment.id, w.methodId)).payment.status).toBe('processing');
      expect(await reconcileStalePayments(deps(), options)).toMatchObject({ checked: 1, changed: 1 });
    },
  );

  it('counts a payment the provider does not know as failed and leaves it Processing', async () => {
    const { payment } = await dealPayment(app, w);
    await db().update(payments).set({ providerReference: 'sbx_unknown' }).where(eq(payments.id, payment.id));
    expect(await reconcileStalePayments(deps(), options)).toMatchObject({ checked: 1, failed: 1 });
    expect((await paymentState(db(), payment.id, w.methodId)).payment.status).toBe('processing');
    // Not given up on: once the status-fetch window has passed, the next run asks again.
    app.clock.set(new Date(app.clock.now().getTime() + statusFetchIntervalMs));
    expect(await reconcileStalePayments(deps(), options)).toMatchObject({ checked: 1, failed: 1 });
  });
});

describe('startReconciliationLoop', () => {
  it('runs on its interval and stops when asked', async () => {
    const { payment } = await lostWebhookPayment();
    const stop = startReconciliationLoop(deps(), 10, { olderThanMs: 0, limit: 10 });
    await expect
      .poll(async () => (await paymentState(db(), payment.id, w.methodId)).payment.status, { timeout: 5000 })
      .toBe('complete');
    await stop();
  });
});
