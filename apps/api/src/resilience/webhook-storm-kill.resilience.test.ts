import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PaymentStatus } from '@paylinks/core';
import {
  type Database,
  openDatabase,
  paymentEvents,
  paymentLinks,
  payments,
  webhookReceipts,
} from '@paylinks/db';
import { openTestDatabase, type TestDatabase, testDriver } from '@paylinks/db/testing';
import {
  createSandboxReference,
  createSandboxWebhookEvent,
  createSandboxWebhookSender,
  type DeliveryOutcome,
  deliverWithFetch,
  generateWebhookSecret,
  type SandboxStatus,
} from '@paylinks/plugin-sandbox';
import { and, eq, inArray, isNotNull, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from '../testing/server-process.js';
import {
  createLinks,
  freePort,
  type HttpWorkspace,
  linkBody,
  pause,
  payLink,
  setUpWorkspace,
  unlimitedPublicPay,
  viewLink,
} from './resilience-fixtures.js';

// A real server process is SIGKILLed in the middle of a webhook storm, then started again on the
// same database and port. The test is the provider: it signs sandbox events and delivers each three
// times, shuffled, with the sandbox's own sender (exponential back-off, retry until 2xx), so
// deliveries refused while the server is dead come again. The sandbox events the server sends itself
// after a checkout live only in its memory and die with it; those payments were settled by the
// checkout's own answer. Payers and a team member keep working through the crash, retrying as people
// do. Afterwards every payment is in its right status, every event was received once and applied at
// most once, and every Idempotency-Key the crash interrupted completes.

type Plan = { events: SandboxStatus[]; final: PaymentStatus };
const plans: Plan[] = [
  { events: ['paid'], final: 'complete' },
  { events: ['paid', 'refunded'], final: 'returned' },
  { events: ['failed', 'paid'], final: 'complete' },
  { events: ['failed'], final: 'cancelled' },
];
const paymentsPerPlan = 10;
const copiesPerEvent = 3;
// Payers and keyed POSTs keep coming, two at a time, until the storm is over (at most this many).
const payers = 40;
const idempotentPosts = 40;
const leaseMs = 2000;

const secretKey = randomBytes(32).toString('base64');
const webhookSecret = generateWebhookSecret();
let port: number;
let origin: string;
let database: TestDatabase | undefined;
let dataDir: string | undefined;
let server: ServerProcess | undefined;

const startServer = async () => {
  server = await startServerProcess({
    ...unlimitedPublicPay,
    PORT: String(port),
    // The server's own sandbox posts its webhooks to itself, as to any public address.
    PUBLIC_URL: origin,
    PAYLINKS_SECRET_KEY: secretKey,
    PAYLINKS_IDEMPOTENCY_LEASE_MS: String(leaseMs),
    ...(testDriver() === 'postgres'
      ? { DATABASE_URL: database!.url }
      : { DATABASE_URL: undefined, PAYLINKS_DATA_DIR: dataDir }),
  });
  return server;
};

/** What the test reads once the last server has stopped (PGlite: its directory is free again). */
async function openForAssertions(): Promise<Database> {
  if (database) return database;
  return openDatabase({ dataDir: dataDir!, migrate: false });
}

beforeAll(async () => {
  port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  if (testDriver() === 'postgres') database = await openTestDatabase();
  else dataDir = mkdtempSync(join(tmpdir(), 'paylinks-storm-kill-'));
}, 60_000);

afterAll(async () => {
  await server?.kill();
  await database?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Retries what a person would retry (no answer, 503, a key still in progress) until it is answered. */
let retriedByPeople = 0;
async function untilAnswered<T extends { status: number }>(
  attempt: () => Promise<T>,
  retryOn: (answer: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await attempt().catch(() => undefined);
    if (answer && !retryOn(answer)) return answer;
    retriedByPeople += 1;
    if (Date.now() > deadline) throw new Error(`never answered: ${JSON.stringify(answer)}`);
    await pause(150);
  }
}

/** A payer opens the link and pays; after an error they refresh with their cookie and pay again. */
async function payer(token: string): Promise<{ paymentId: string; result: string }> {
  const view = await untilAnswered(
    () => viewLink(origin, token),
    (v) => v.status !== 200,
  );
  const paid = await untilAnswered(
    () => payLink(origin, token, view.paymentId, view.cookie),
    (a) => a.status === 503,
  );
  if (paid.status === 200) return { paymentId: paid.paymentId!, result: paid.result! };
  if (paid.code !== 'payment_not_processing') throw new Error(`checkout answered ${JSON.stringify(paid)}`);
  // Paid by the request the crash cut off: the payer sees the result, as on the return page.
  const shown = await untilAnswered(
    () => paymentStatus(token, view.paymentId!),
    (a) => a.status !== 200,
  );
  return { paymentId: view.paymentId!, result: shown.result };
}

async function paymentStatus(token: string, paymentId: string) {
  const response = await fetch(`${origin}/api/pay/${token}/status?payment=${paymentId}`);
  const body = (await response.json().catch(() => ({}))) as { status?: string };
  return { status: response.status, result: body.status ?? '' };
}

/** Works through `items` two at a time until `over()`, so some are in flight when the process dies. */
async function whileStorming<T>(items: string[], over: () => boolean, work: (item: string) => Promise<T>) {
  const queue = [...items];
  const results: T[] = [];
  await Promise.all(
    [0, 1].map(async () => {
      for (let item = queue.shift(); item !== undefined && !over(); item = queue.shift()) {
        results.push(await work(item));
        await pause(50);
      }
    }),
  );
  return results;
}

/** The team creates links with Idempotency-Key, retrying a lost answer with the same key. */
async function createLinkOnce(workspace: HttpWorkspace, key: string) {
  const send = () =>
    fetch(`${origin}/api/payment-links`, {
      method: 'POST',
      headers: { ...workspace.member, 'idempotency-key': key },
      body: JSON.stringify(linkBody(workspace, `Storm ${key}`)),
    }).then(async (response) => ({ status: response.status, body: await response.text() }));
  return untilAnswered(send, (answer) => answer.status === 503 || answer.status === 409);
}

describe('SIGKILL in the middle of a webhook storm, then a restart on the same database', () => {
  it('leaves every payment in its right status, no event lost or applied twice, no key stuck', async () => {
    await startServer();
    const workspace = await setUpWorkspace(origin, origin, webhookSecret);
    const stormTokens = await createLinks(origin, workspace, plans.length * paymentsPerPlan);
    const payerTokens = await createLinks(origin, workspace, payers);

    // Each storm payment is a click-through with a checkout at the provider (its reference).
    const expected = new Map<string, Plan>();
    const deliveries: { id: string; body: string }[] = [];
    for (const [i, token] of stormTokens.entries()) {
      const view = await viewLink(origin, token);
      expect(view.status).toBe(200);
      const plan = plans[i % plans.length]!;
      const paymentId = view.paymentId!;
      expected.set(paymentId, plan);
      const at = new Date();
      const checkout = {
        reference: createSandboxReference(webhookSecret),
        idempotencyKey: paymentId,
        paymentId,
        amount: { minor: 4200n, currency: 'EUR' },
        description: 'Resilience',
        webhookUrl: `${origin}/api/webhooks/${workspace.methodId}`,
        status: 'open' as const,
        createdAt: at,
        updatedAt: at,
      };
      for (const status of plan.events) deliveries.push(createSandboxWebhookEvent(checkout, status, at));
    }

    let accepted = 0;
    let refused = 0;
    const deliver = deliverWithFetch();
    let killed: Promise<void> | undefined;
    const outcomes: DeliveryOutcome[] = [];
    const sender = createSandboxWebhookSender({
      deliver: async (request) => {
        const answer = await deliver(request).catch((error) => {
          refused += 1;
          throw error;
        });
        if (answer.status >= 200 && answer.status < 300) accepted += 1;
        else refused += 1;
        // A third of the way through the storm the process dies, with requests of all kinds in flight.
        if (!killed && accepted >= (deliveries.length * copiesPerEvent) / 3) killed = killAndRestart();
        return answer;
      },
      retry: { maxAttempts: 40, initialDelayMs: 50, maxDelayMs: 1000 },
      behaviour: { duplicates: copiesPerEvent - 1 },
      onOutcome: (outcome) => outcomes.push(outcome),
    });
    let restarts = 0;
    const killAndRestart = async () => {
      await server!.kill();
      await pause(300);
      await startServer();
      restarts += 1;
    };

    sender.hold();
    const storm = Promise.all(
      deliveries.map((d) =>
        sender.send({
          eventId: d.id,
          url: `${origin}/api/webhooks/${workspace.methodId}`,
          secret: webhookSecret,
          body: d.body,
        }),
      ),
    );
    sender.release('shuffled');
    let stormOver = false;
    const paid = whileStorming(payerTokens, () => stormOver, payer);
    const allKeys = Array.from({ length: idempotentPosts }, (_, i) => `storm-link-${i}`);
    const created = whileStorming(
      allKeys,
      () => stormOver,
      async (key) => ({
        key,
        ...(await createLinkOnce(workspace, key)),
      }),
    );
    await storm;
    await killed;
    stormOver = true;
    const payerResults = await paid;
    const linkAnswers = await created;
    const keys = linkAnswers.map((a) => a.key);
    await server!.stop();

    expect(restarts).toBe(1);
    expect(outcomes.filter((o) => !o.delivered)).toEqual([]);
    expect(refused, 'the crash refused some deliveries, which came again').toBeGreaterThan(0);
    expect(payerResults.map((p) => p.result)).toEqual(payerResults.map(() => 'complete'));
    expect(retriedByPeople, 'payers or the team met the crash and retried').toBeGreaterThan(0);
    expect(linkAnswers.map((a) => a.status)).toEqual(keys.map(() => 201));

    const { db, close } = await openForAssertions();
    try {
      const ids = [...expected.keys()];
      const rows = await db.select().from(payments).where(inArray(payments.id, ids));
      expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual(
        Object.fromEntries(ids.map((id) => [id, expected.get(id)!.final])),
      );

      // Every event received exactly once and settled; none left waiting for a retry.
      const eventIds = deliveries.map((d) => d.id);
      const receipts = await db
        .select()
        .from(webhookReceipts)
        .where(
          and(
            eq(webhookReceipts.methodId, workspace.methodId),
            inArray(webhookReceipts.providerEventId, eventIds),
          ),
        );
      expect(receipts.map((r) => r.providerEventId).sort()).toEqual([...eventIds].sort());
      expect(receipts.filter((r) => r.processedAt === null)).toEqual([]);

      // No event applied twice, no transition taken twice. (An event that waits for an earlier one is
      // logged when it arrives and again when it is settled; only its transition counts.)
      const logged = await db.select().from(paymentEvents).where(inArray(paymentEvents.paymentId, ids));
      const transitions = logged.filter((e) => e.fromStatus !== null && e.toStatus !== null);
      const appliedEvents = transitions.flatMap((t) => (t.providerEventId ? [t.providerEventId] : []));
      expect(appliedEvents.length).toBe(new Set(appliedEvents).size);
      const steps = transitions.map((t) => `${t.paymentId} ${t.fromStatus}→${t.toStatus}`);
      expect(steps.length).toBe(new Set(steps).size);
      // Every payment left Processing once; a refund, and a success after a decline, add one step each.
      expect(transitions.length).toBeGreaterThanOrEqual(ids.length + paymentsPerPlan);
      expect(transitions.length).toBeLessThanOrEqual(ids.length + 2 * paymentsPerPlan);

      // Each payer paid once: one payment per payer's link, with one step into Complete.
      const payerIds = payerResults.map((p) => p.paymentId);
      const payerPayments = await db.select().from(payments).where(inArray(payments.id, payerIds));
      expect(payerPayments.map((p) => p.status)).toEqual(payerIds.map(() => 'complete'));
      const payerLinks = new Set(payerPayments.map((p) => p.linkId));
      const onPayerLinks = await db
        .select()
        .from(payments)
        .where(inArray(payments.linkId, [...payerLinks]));
      expect(onPayerLinks.filter((p) => p.status === 'complete')).toHaveLength(payerResults.length);
      const completions = await db
        .select()
        .from(paymentEvents)
        .where(
          and(
            inArray(paymentEvents.paymentId, payerIds),
            eq(paymentEvents.toStatus, 'complete'),
            isNotNull(paymentEvents.fromStatus),
          ),
        );
      expect(completions).toHaveLength(payerResults.length);

      // Every interrupted Idempotency-Key completed, and created its link once.
      const stormLinks = await db
        .select({ description: paymentLinks.description })
        .from(paymentLinks)
        .where(like(paymentLinks.description, 'Storm storm-link-%'));
      expect(stormLinks.map((l) => l.description).sort()).toEqual(keys.map((k) => `Storm ${k}`).sort());

      console.log(
        `storm-kill (${testDriver()}): ${deliveries.length} events × ${copiesPerEvent}, ${accepted} accepted, ` +
          `${refused} refused or cut off by the crash, ${transitions.length} transitions, ${payerResults.length} payers, ` +
          `${keys.length} keyed POSTs, ${retriedByPeople} retries by people`,
      );
    } finally {
      if (!database) await close();
    }
  }, 240_000);
});
