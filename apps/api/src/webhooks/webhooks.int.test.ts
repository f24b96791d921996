import { randomUUID } from 'node:crypto';
import { deals, paymentMethods } from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setAutomation, type WorkspaceFixture, workspaceFixture } from '../payments/payments-fixtures.js';
import { type TestApp, type TestMember, testApp, testPublicUrl } from '../testing/test-app.js';
import {
  dealPayment,
  methodCredentials,
  paymentState,
  postWebhook,
  receiptsOf,
  sandboxEvent,
  startSandboxCheckout,
  webhookPath,
} from './webhook-fixtures.js';

let app: TestApp;
let w: WorkspaceFixture;
let secret: string;
let owner: TestMember;

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Webhooks');
  w = await workspaceFixture(app.database.db, owner.workspaceId);
  await setAutomation(app.database.db, w, 'complete', 'Won');
  await setAutomation(app.database.db, w, 'returned', 'Lost');
  await setAutomation(app.database.db, w, 'confirmed_by_team_member', 'Won');
  secret = (await methodCredentials(app.database.db, app, w.methodId)).webhookSecret;
});
afterAll(() => app.close());
afterEach(async () => {
  // A test that held deliveries lets them go, so the next one starts with a live sender.
  app.sandbox.webhooks.release();
  await app.sandbox.webhooks.idle();
});

const db = () => app.database.db;
const dealOf = async (id: string) => (await db().select().from(deals).where(eq(deals.id, id)))[0]!;

describe('POST /api/webhooks/{methodId}', () => {
  it('moves a Processing payment to Complete, with its receipt and a webhook audit event', async () => {
    const { payment, deal, link } = await dealPayment(app, w);
    const checkout = await startSandboxCheckout(app, w, payment);
    await app.sandbox.webhooks.idle();

    const state = await paymentState(db(), payment.id, w.methodId);
    expect(state.payment.status).toBe('complete');
    expect(state.payment.providerReference).toBe(checkout.reference);
    const [transition] = state.transitions;
    expect(state.transitions).toHaveLength(1);
    expect(transition).toMatchObject({
      fromStatus: 'processing',
      toStatus: 'complete',
      source: 'webhook',
      actor: 'sandbox',
      providerEventId: expect.stringMatching(/^evt_/),
    });
    const receipts = await receiptsOf(db(), w.methodId, transition!.providerEventId!);
    expect(receipts).toEqual([
      expect.objectContaining({
        outcome: 'applied',
        processedAt: expect.any(Date),
        workspaceId: w.workspaceId,
      }),
    ]);
    expect((await dealOf(deal.id)).stageId).toBe(w.stages.Won);
    expect(link.id).toBe(state.payment.linkId);
  });

  it('applies one event delivered 10 times at once exactly once: one transition, one stage move, one receipt', async () => {
    const { payment, deal } = await dealPayment(app, w);
    app.sandbox.webhooks.hold();
    const checkout = await startSandboxCheckout(app, w, payment);
    const event = sandboxEvent(checkout, 'paid', app.clock.now());
    const outcomes = app.sandbox.webhooks.send(
      { eventId: event.id, url: `${testPublicUrl}${webhookPath(w.methodId)}`, secret, body: event.body },
      { duplicates: 9 },
    );
    // send() itself was held too; release starts the 10 copies and the checkout's own webhook.
    app.sandbox.webhooks.release();
    await app.sandbox.webhooks.idle();
    const delivered = await outcomes;
    expect(delivered).toHaveLength(10);
    expect(delivered.every((o) => o.delivered && o.lastStatus === 200)).toBe(true);

    const state = await paymentState(db(), payment.id, w.methodId);
    expect(state.payment.status).toBe('complete');
    expect(state.successes).toHaveLength(1);
    expect(state.stageMoves).toHaveLength(1);
    expect(await receiptsOf(db(), w.methodId, event.id)).toHaveLength(1);
    expect((await dealOf(deal.id)).stageId).toBe(w.stages.Won);
  });

  it('refuses tampered, stale and unsigned webhooks with 400 and changes nothing', async () => {
    const { payment } = await dealPayment(app, w);
    app.sandbox.webhooks.hold();
    const checkout = await startSandboxCheckout(app, w, payment);
    const event = sandboxEvent(checkout, 'paid', app.clock.now());
    const signedAt = app.clock.now();

    const tampered = event.body.replace('"paid"', '"refunded"');
    const header = (await import('@paylinks/plugin-sandbox')).signSandboxPayload({
      secret,
      body: event.body,
      signedAt,
    });
    const answers = [
      await postWebhook(app, w.methodId, tampered, { header }),
      await postWebhook(app, w.methodId, event.body, null),
      await postWebhook(app, w.methodId, event.body, { secret: 'whsec_wrong', signedAt }),
      await postWebhook(app, w.methodId, event.body, { header: 'garbage' }),
    ];
    const before = app.clock.now();
    app.clock.set(new Date(before.getTime() + 6 * 60_000));
    answers.push(await postWebhook(app, w.methodId, event.body, { header }));
    app.clock.set(before);

    for (const response of answers) {
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(((await response.json()) as { code: string }).code).toBe('webhook_rejected');
    }
    const state = await paymentState(db(), payment.id, w.methodId);
    expect(state.payment.status).toBe('processing');
    expect(state.transitions).toHaveLength(0);
    expect(await receiptsOf(db(), w.methodId, event.id)).toHaveLength(0);
    const logged = JSON.stringify(app.logger.lines);
    expect(logged).not.toContain(event.body);
    expect(logged).not.toContain(secret);
    expect(logged).not.toContain(header);
  });

  it('ends Returned for a success and a refund event in either order', async () => {
    for (const order of ['as-sent', 'reversed'] as const) {
      const { payment, deal } = await dealPayment(app, w);
      app.sandbox.webhooks.hold();
      const checkout = await startSandboxCheckout(app, w, payment);
      const credentials = await methodCredentials(db(), app, w.methodId);
      const refund = await app.sandbox.provider.refund!({
        providerReference: checkout.reference,
        amount: checkout.amount,
        idempotencyKey: `refund:${payment.id}`,
        credentials,
      });
      expect(refund.kind).toBe('refunded');
      app.sandbox.webhooks.release(order);
      await app.sandbox.webhooks.idle();

      const state = await paymentState(db(), payment.id, w.methodId);
      expect(state.payment.status, order).toBe('returned');
      expect(state.transitions.map((e) => e.toStatus)).toEqual(['complete', 'returned']);
      expect((await dealOf(deal.id)).stageId).toBe(w.stages.Lost);
    }
  });

  it('answers 503 to an event for a payment not known yet, then applies the retry once it is', async () => {
    const paymentId = randomUUID();
    app.sandbox.webhooks.hold();
    const checkout = await startSandboxCheckout(app, w, {
      id: paymentId,
      amountMinor: 12_500n,
      currency: 'EUR',
    });
    const event = sandboxEvent(checkout, 'paid', app.clock.now());
    const signed = () => ({ secret, signedAt: app.clock.now() });

    const early = await postWebhook(app, w.methodId, event.body, signed());
    expect(early.status).toBe(503);
    expect(await receiptsOf(db(), w.methodId, event.id)).toEqual([
      expect.objectContaining({ processedAt: null }),
    ]);
    const again = await postWebhook(app, w.methodId, event.body, signed());
    expect(again.status).toBe(503);

    await dealPayment(app, w, paymentId);
    const retry = await postWebhook(app, w.methodId, event.body, signed());
    expect(retry.status).toBe(200);
    const state = await paymentState(db(), paymentId, w.methodId);
    expect(state.payment.status).toBe('complete');
    expect(state.successes).toHaveLength(1);
    const duplicate = await postWebhook(app, w.methodId, event.body, signed());
    expect(duplicate.status).toBe(200);
    expect((await paymentState(db(), paymentId, w.methodId)).events).toHaveLength(state.events.length);
    expect(await receiptsOf(db(), w.methodId, event.id)).toEqual([
      expect.objectContaining({ outcome: 'applied', processedAt: expect.any(Date) }),
    ]);
  });

  it('ends with one final status and one stage move when a webhook and a manual confirmation race', async () => {
    for (let round = 0; round < 3; round += 1) {
      const { payment, deal } = await dealPayment(app, w);
      app.sandbox.webhooks.hold();
      await startSandboxCheckout(app, w, payment);
      const [confirm] = await Promise.all([
        app.call(owner, 'POST', `/api/payments/${payment.id}/confirm`, {}),
        (async () => {
          app.sandbox.webhooks.release();
          await app.sandbox.webhooks.idle();
        })(),
      ]);
      const state = await paymentState(db(), payment.id, w.methodId);
      expect(['complete', 'confirmed_by_team_member']).toContain(state.payment.status);
      expect(confirm.status).toBe(state.payment.status === 'confirmed_by_team_member' ? 200 : 409);
      expect(state.successes).toHaveLength(1);
      expect(state.stageMoves).toHaveLength(1);
      expect((await dealOf(deal.id)).stageId).toBe(w.stages.Won);
    }
  });

  it('still accepts events for a disabled method: the money moved', async () => {
    const { payment } = await dealPayment(app, w);
    await db().update(paymentMethods).set({ enabled: false }).where(eq(paymentMethods.id, w.methodId));
    try {
      await startSandboxCheckout(app, w, payment);
      await app.sandbox.webhooks.idle();
    } finally {
      await db().update(paymentMethods).set({ enabled: true }).where(eq(paymentMethods.id, w.methodId));
    }
    expect((await paymentState(db(), payment.id, w.methodId)).payment.status).toBe('complete');
  });

  it('answers 200 and stores nothing for an authentic event about a checkout the sandbox never made', async () => {
    const { payment } = await dealPayment(app, w);
    const foreign = {
      reference: 'sbx_not_ours',
      idempotencyKey: 'x',
      paymentId: payment.id,
      amount: { minor: 12_500n, currency: 'EUR' as const },
      description: 'x',
      webhookUrl: 'x',
      createdAt: app.clock.now(),
      updatedAt: app.clock.now(),
      status: 'paid' as const,
    };
    const event = sandboxEvent(foreign, 'paid', app.clock.now());
    const response = await postWebhook(app, w.methodId, event.body, { secret, signedAt: app.clock.now() });
    expect(response.status).toBe(200);
    expect(await receiptsOf(db(), w.methodId, event.id)).toHaveLength(0);
    expect((await paymentState(db(), payment.id, w.methodId)).payment.status).toBe('processing');
  });

  it('answers 404 for unknown or malformed method ids and 413 for huge bodies', async () => {
    for (const id of [randomUUID(), 'not-a-uuid', "1' or '1'='1", 'x'.repeat(3000)]) {
      const response = await postWebhook(app, id, '{}', null);
      expect(response.status, id.slice(0, 20)).toBe(404);
      expect(((await response.json()) as { code: string }).code).toBe('not_found');
    }
    const huge = await postWebhook(app, w.methodId, 'x'.repeat(300 * 1024), null);
    expect(huge.status).toBe(413);
    const garbage = await postWebhook(app, w.methodId, '\u0000{{', { secret, signedAt: app.clock.now() });
    expect(garbage.status).toBe(400);
  });
});
