import { randomBytes } from 'node:crypto';
import type { PaymentStatus } from '@paylinks/core';
import { deals, paymentEvents, paymentMethods, payments, webhookReceipts } from '@paylinks/db';
import { openTestDatabase, type TestDatabase, testDriver } from '@paylinks/db/testing';
import {
  createSandboxProvider,
  createSandboxReference,
  createSandboxWebhookEvent,
  SANDBOX_SIGNATURE_HEADER,
  type SandboxStatus,
  signSandboxPayload,
} from '@paylinks/plugin-sandbox';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMethodCredentials } from '../payment-methods/method-lookup.js';
import {
  insertContact,
  insertDeal,
  insertLink,
  insertPayment,
  setAutomation,
  type WorkspaceFixture,
  workspaceFixture,
} from '../payments/payments-fixtures.js';
import { type ServerProcess, startServerProcess } from '../testing/server-process.js';

// Two real API processes on one PostgreSQL take a storm of webhook deliveries: every event three
// times, all of them shuffled, each copy to either process, retried on non-2xx like a provider.
// Every payment must end in the right status with each transition and stage move applied once.

const secretKey = randomBytes(32);
const publicUrl = 'http://localhost:3999';

type Plan = { events: SandboxStatus[]; final: PaymentStatus; stage: 'Won' | 'Lost' };
const plans: Plan[] = [
  { events: ['paid'], final: 'complete', stage: 'Won' },
  { events: ['paid', 'refunded'], final: 'returned', stage: 'Lost' },
  { events: ['failed', 'paid'], final: 'complete', stage: 'Won' },
  { events: ['failed'], final: 'cancelled', stage: 'Lost' },
];
const paymentsPerPlan = 12;
const copiesPerEvent = 3;

let database: TestDatabase;
const servers: ServerProcess[] = [];

const startServer = () =>
  startServerProcess({
    PUBLIC_URL: publicUrl,
    DATABASE_URL: database.url,
    PAYLINKS_SECRET_KEY: secretKey.toString('base64'),
  });

describe.runIf(testDriver() === 'postgres')('two API processes under a webhook storm', () => {
  beforeAll(async () => {
    database = await openTestDatabase();
    servers.push(await startServer(), await startServer());
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await database?.close();
  });

  it('applies every transition and stage move exactly once', async () => {
    const signUp = await fetch(`http://127.0.0.1:${servers[0]!.port}/api/signup`, {
      method: 'POST',
      headers: { origin: publicUrl, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Storm',
        email: 'storm@example.com',
        password: 'a long password',
        workspaceName: 'Storm',
      }),
    });
    expect(signUp.status).toBe(201);
    const { workspace } = (await signUp.json()) as { workspace: { id: string } };
    const { db } = database;
    const w: WorkspaceFixture = await workspaceFixture(db, workspace.id);
    await setAutomation(db, w, 'complete', 'Won');
    await setAutomation(db, w, 'returned', 'Lost');
    await setAutomation(db, w, 'cancelled', 'Lost');
    const [method] = await db.select().from(paymentMethods).where(eq(paymentMethods.id, w.methodId));
    const { webhookSecret } = openMethodCredentials(secretKey, {
      method: method!,
      provider: createSandboxProvider(),
    }) as { webhookSecret: string };

    const now = new Date();
    const expected = new Map<string, Plan & { dealId: string }>();
    const deliveries: { body: string; eventId: string }[] = [];
    for (const plan of plans) {
      for (let i = 0; i < paymentsPerPlan; i++) {
        const contact = await insertContact(db, w, `Payer ${expected.size}`);
        const deal = await insertDeal(db, w, contact.id);
        const link = await insertLink(db, w, { contactId: contact.id, dealId: deal.id });
        const payment = await insertPayment(db, w, link, { createdAt: now });
        const reference = createSandboxReference(webhookSecret);
        await db.update(payments).set({ providerReference: reference }).where(eq(payments.id, payment.id));
        expected.set(payment.id, { ...plan, dealId: deal.id });
        const checkout = {
          reference,
          idempotencyKey: payment.id,
          paymentId: payment.id,
          amount: { minor: link.amountMinor, currency: link.currency },
          description: link.description,
          webhookUrl: `${publicUrl}/api/webhooks/${w.methodId}`,
          status: 'open' as const,
          createdAt: now,
          updatedAt: now,
        };
        for (const status of plan.events) {
          const event = createSandboxWebhookEvent({ ...checkout, status }, status, now);
          for (let copy = 0; copy < copiesPerEvent; copy++)
            deliveries.push({ body: event.body, eventId: event.id });
        }
      }
    }
    deliveries.sort(() => Math.random() - 0.5);

    let sent = 0;
    let retried = 0;
    const deliver = async (delivery: { body: string }) => {
      for (let attempt = 0; attempt < 8; attempt++) {
        const server = servers[Math.floor(Math.random() * servers.length)]!;
        sent += 1;
        const response = await fetch(`http://127.0.0.1:${server.port}/api/webhooks/${w.methodId}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [SANDBOX_SIGNATURE_HEADER]: signSandboxPayload({
              secret: webhookSecret,
              body: delivery.body,
              signedAt: new Date(),
            }),
          },
          body: delivery.body,
        });
        await response.arrayBuffer();
        if (response.ok) return;
        retried += 1;
        await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
      }
      throw new Error('a delivery was never accepted');
    };
    const queue = [...deliveries];
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await deliver(next);
      }),
    );

    const ids = [...expected.keys()];
    const rows = await db.select().from(payments).where(inArray(payments.id, ids));
    for (const row of rows) expect(row.status, row.id).toBe(expected.get(row.id)!.final);
    const dealRows = await db
      .select()
      .from(deals)
      .where(
        inArray(
          deals.id,
          [...expected.values()].map((p) => p.dealId),
        ),
      );
    const stageByDeal = new Map(dealRows.map((d) => [d.id, d.stageId]));
    for (const plan of expected.values()) expect(stageByDeal.get(plan.dealId)).toBe(w.stages[plan.stage]);

    const transitions = await db
      .select()
      .from(paymentEvents)
      .where(
        and(
          inArray(paymentEvents.paymentId, ids),
          isNotNull(paymentEvents.fromStatus),
          isNotNull(paymentEvents.toStatus),
        ),
      );
    const seen = new Set<string>();
    let stageMoves = 0;
    for (const t of transitions) {
      const key = `${t.paymentId} ${t.fromStatus} ${t.toStatus}`;
      expect(seen.has(key), `applied twice: ${key}`).toBe(false);
      seen.add(key);
      const effects = (t.payload as { effects?: { dealMovedToStageId?: string } } | null)?.effects;
      if (effects?.dealMovedToStageId) stageMoves += 1;
    }
    const distinctEvents = new Set(deliveries.map((d) => d.eventId)).size;
    const receipts = await db.select().from(webhookReceipts).where(eq(webhookReceipts.methodId, w.methodId));
    expect(receipts).toHaveLength(distinctEvents);
    // The storm's own figures, for the record.
    console.log(
      `storm: ${deliveries.length} deliveries of ${distinctEvents} events to 2 processes, ${sent} requests ` +
        `(${retried} retried), ${transitions.length} transitions applied, ${stageMoves} stage moves, ` +
        `${deliveries.length - distinctEvents} duplicate deliveries refused`,
    );
    // Every payment left Processing once; the refund adds one more, and so does a retry after a
    // decline when the decline came first. Each of these targets another stage, so each moved the deal.
    expect(transitions.length).toBeGreaterThanOrEqual(ids.length + paymentsPerPlan);
    expect(transitions.length).toBeLessThanOrEqual(ids.length + 2 * paymentsPerPlan);
    expect(stageMoves).toBe(transitions.length);
  }, 120_000);
});
