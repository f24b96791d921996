import { randomUUID } from 'node:crypto';
import {
  type Database,
  events,
  openDatabase,
  payments,
  webhookDeliveries,
  webhookEndpoints,
} from '@paylinks/db';
import { openTestDatabase, type TestDatabase } from '@paylinks/db/testing';
import { createSandboxProvider } from '@paylinks/plugin-sandbox';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callWithKey, createApiKey } from '../auth/api-key-fixtures.js';
import { writeLinkExpiryEvents } from '../jobs/link-expiry-events.js';
import { createMemoryLogger } from '../logger.js';
import { createHostedTestProvider } from '../public-pay/hosted-provider-fixture.js';
import { checkout, createLink, crmFixture, nextMinute, openLink } from '../public-pay/public-pay-fixtures.js';
import { type TestApp, type TestMember, testApp, testPublicUrl } from '../testing/test-app.js';
import { deliverWebhooks } from './deliver-webhooks.js';
import {
  addEndpoint,
  insertEvents,
  jobDeps,
  type Receiver,
  readmeVerifier,
  startReceiver,
} from './webhook-endpoint-fixtures.js';

let database: TestDatabase;
let app: TestApp;
let owner: TestMember;
// The same database without PAYLINKS_WEBHOOKS_ALLOW_PRIVATE, for the refusals; acme and rival are its workspaces.
let strict: TestApp;
let acme: TestMember;
let rival: TestMember;
let receiver: Receiver;
const verify = readmeVerifier();
const hosted = createHostedTestProvider();

beforeAll(async () => {
  database = await openTestDatabase();
  // Receivers listen on 127.0.0.1, so this deployment allows private targets.
  app = testApp(database, {
    webhooksAllowPrivate: true,
    providers: [createSandboxProvider(), hosted.provider],
  });
  strict = testApp(database);
  [owner, acme, rival] = await Promise.all([
    app.signUp('Acme'),
    strict.signUp('Acme'),
    strict.signUp('Rival'),
  ]);
});
afterAll(() => app.close());
beforeEach(async () => {
  receiver = await startReceiver();
  return async () => {
    await receiver.close();
    // A later test's receiver may get this one's port: nothing left pending may reach it.
    await app.database.db
      .update(webhookDeliveries)
      .set({ status: 'failed', nextAttemptAt: null })
      .where(eq(webhookDeliveries.status, 'pending'));
  };
});

const json = async (response: Response): Promise<any> => response.json();
const seconds = (at: Date) => Math.floor(at.getTime() / 1000);
const later = (ms: number) => app.clock.set(new Date(app.clock.now().getTime() + ms));

/** Runs the job until a pass neither queues nor sends anything, as the loop would over a few ticks. */
async function deliverAll(deps = jobDeps(app)) {
  for (let pass = 0; pass < 50; pass++) {
    const report = await deliverWebhooks(deps);
    if (report.queued === 0 && report.sent === 0) return;
  }
  throw new Error('deliveries did not settle');
}

async function deliveryLog(endpointId: string, member = owner) {
  const response = await app.call(member, 'GET', `/api/webhook-endpoints/${endpointId}/deliveries`);
  expect(response.status).toBe(200);
  return (await json(response)).deliveries as any[];
}

/** A fresh workspace per test, so one test's endpoints never receive another's events. */
async function workspace() {
  const member = await app.signUp('Integrator');
  return member;
}

describe('delivering events to an endpoint', () => {
  it('sends every event type the app writes once, in order per payment, signed so the README snippet verifies it', async () => {
    const member = await workspace();
    const endpoint = await addEndpoint(app, member, { url: receiver.url });
    const crm = await crmFixture(app, member);
    const methodId = (
      await json(
        await app.call(member, 'POST', '/api/payment-methods', { providerId: 'hosted', credentials: {} }),
      )
    ).id;
    await nextMinute(app);
    const visit = async (token: string) =>
      (await json((await openLink(app, token)).response)).paymentId as string;

    // A contact link opened and confirmed (its deal created), then deleted.
    const contactLink = await createLink(app, member, crm, { origin: 'contact', validityDays: 1 });
    const confirmed = await visit(contactLink.token);
    expect((await app.call(member, 'POST', `/api/payments/${confirmed}/confirm`, {})).status).toBe(200);
    expect((await app.call(member, 'DELETE', `/api/payment-links/${contactLink.id}`)).status).toBe(200);
    // A hosted checkout paid after its link was deleted: flagged late.
    const lateLink = await createLink(app, member, { ...crm, methodId }, { origin: 'deal' });
    const late = await visit(lateLink.token);
    expect(
      (
        await checkout(app, lateLink.token, {
          paymentId: late,
          email: 'p@example.com',
          phone: '+31 6 12345678',
        })
      ).status,
    ).toBe(200);
    const [row] = await app.database.db.select().from(payments).where(eq(payments.id, late));
    expect((await app.call(member, 'DELETE', `/api/payment-links/${lateLink.id}`)).status).toBe(200);
    const paid = hosted.pay(row!.providerReference!);
    expect((await app.request(`/api/webhooks/${methodId}`, { method: 'POST', ...paid })).status).toBe(200);
    // A link whose validity ends.
    const expiring = await createLink(app, member, crm, { origin: 'contact', validityDays: 1 });
    later(86_400_000 + 1_000);
    await writeLinkExpiryEvents({ db: app.database.db, clock: app.clock, logger: app.logger });

    await deliverAll();

    const outbox = await app.database.db
      .select()
      .from(events)
      .where(eq(events.workspaceId, member.workspaceId))
      .orderBy(asc(events.sequence));
    expect(new Set(outbox.map((e) => e.type))).toEqual(
      new Set([
        'payment.created',
        'payment.status_changed',
        'payment.flagged',
        'link.created',
        'link.deleted',
        'link.expired',
        'deal.created',
      ]),
    );
    expect(outbox.filter((e) => e.linkId === expiring.id).map((e) => e.type)).toEqual([
      'link.created',
      'link.expired',
    ]);
    const got = receiver.received;
    // Each once: as many deliveries as events, and every event id among them.
    expect(got.map((r) => r.eventId).toSorted()).toEqual(outbox.map((e) => e.id).toSorted());
    for (const paymentId of [confirmed, late]) {
      const written = outbox.filter((e) => e.paymentId === paymentId).map((e) => e.id);
      expect(got.filter((r) => written.includes(r.eventId)).map((r) => r.eventId)).toEqual(written);
    }
    for (const r of got) {
      const t = Number(/t=(\d+)/.exec(r.signature)![1]);
      expect(verify(r.body, r.signature, endpoint.secret, t)).toBe(true);
      expect(r.event.id).toBe(r.eventId);
    }
  });

  it('sends each subscribed event once, signed so the README snippet verifies it, in order per payment', async () => {
    const endpoint = await addEndpoint(app, owner, { url: receiver.url });
    const other = await addEndpoint(app, owner, { url: receiver.url, eventTypes: ['link.created'] });
    const at = app.clock.now();
    const paymentA = randomUUID();
    const paymentB = randomUUID();
    const a1 = await insertEvents(app.database.db, {
      workspaceId: owner.workspaceId,
      at,
      paymentId: paymentA,
      types: ['payment.created', 'payment.status_changed'],
    });
    const b = await insertEvents(app.database.db, {
      workspaceId: owner.workspaceId,
      at,
      paymentId: paymentB,
      types: ['payment.created', 'payment.status_changed', 'payment.flagged'],
    });
    const a2 = await insertEvents(app.database.db, {
      workspaceId: owner.workspaceId,
      at,
      paymentId: paymentA,
      types: ['deal.created'],
    });
    const [linkCreated] = await insertEvents(app.database.db, {
      workspaceId: owner.workspaceId,
      at,
      types: ['link.created'],
    });
    // Another workspace's event reaches none of this workspace's endpoints.
    const stranger = await workspace();
    await insertEvents(app.database.db, { workspaceId: stranger.workspaceId, at, types: ['link.deleted'] });

    await deliverAll();

    const toAll = receiver.received.filter((r) => verify(r.body, r.signature, endpoint.secret, seconds(at)));
    const toOther = receiver.received.filter((r) => verify(r.body, r.signature, other.secret, seconds(at)));
    expect(toAll.length + toOther.length).toBe(receiver.received.length);
    expect(toOther.map((r) => r.eventId)).toEqual([linkCreated]);
    expect(new Set(toAll.map((r) => r.eventId))).toEqual(new Set([...a1, ...b, ...a2, linkCreated]));
    expect(toAll).toHaveLength(7);
    const ofPayment = (paymentId: string) =>
      toAll.filter((r) => r.event.data.payment?.id === paymentId || r.event.data.paymentId === paymentId);
    expect(ofPayment(paymentA).map((r) => r.eventId)).toEqual([...a1, ...a2]);
    expect(ofPayment(paymentB).map((r) => r.eventId)).toEqual(b);
    for (const r of toAll) {
      expect(r.event.id).toBe(r.eventId);
      expect(r.event).toMatchObject({ type: expect.any(String), createdAt: at.toISOString() });
    }
    // A tampered body, a wrong secret or a stale timestamp does not verify.
    const sample = toAll[0]!;
    expect(verify(`${sample.body} `, sample.signature, endpoint.secret, seconds(at))).toBe(false);
    expect(verify(sample.body, sample.signature, other.secret, seconds(at))).toBe(false);
    expect(verify(sample.body, sample.signature, endpoint.secret, seconds(at) + 600)).toBe(false);

    const log = await deliveryLog(endpoint.id);
    expect(log).toHaveLength(7);
    for (const entry of log) {
      expect(entry).toMatchObject({
        status: 'succeeded',
        attempts: 1,
        lastResponseCode: 200,
        nextAttemptAt: null,
      });
      expect(entry.attemptLog).toEqual([
        { attemptedAt: at.toISOString(), responseCode: 200, error: null, durationMs: expect.any(Number) },
      ]);
    }
  });

  it('sends a disabled endpoint nothing of what happens meanwhile, and what follows once enabled', async () => {
    const member = await workspace();
    const endpoint = await addEndpoint(app, member, { url: receiver.url, enabled: false });
    const event = (type: 'link.created' | 'link.deleted') =>
      insertEvents(app.database.db, { workspaceId: member.workspaceId, at: app.clock.now(), types: [type] });
    await event('link.created');
    await deliverAll();
    expect(receiver.received).toEqual([]);
    await app.call(member, 'PATCH', `/api/webhook-endpoints/${endpoint.id}`, { enabled: true });
    const [after] = await event('link.deleted');
    await deliverAll();
    expect(receiver.received.map((r) => r.eventId)).toEqual([after]);
  });
});

describe('an endpoint that fails', () => {
  it('is retried with backoff (500, then a timeout, then 200), and its log shows every try and the next one', async () => {
    const member = await workspace();
    const endpoint = await addEndpoint(app, member, { url: receiver.url });
    const paymentId = randomUUID();
    const [first, second] = await insertEvents(app.database.db, {
      workspaceId: member.workspaceId,
      at: app.clock.now(),
      paymentId,
      types: ['payment.created', 'payment.status_changed'],
    });
    receiver.answers.push(500, 'hang');
    const t0 = app.clock.now();
    // Short, so the endpoint that never answers costs the test little real time.
    const deps = jobDeps(app, { timeoutMs: 300 });
    await deliverAll(deps);
    // The first try got a 500; the payment's next event waits behind it.
    expect(receiver.received.map((r) => r.eventId)).toEqual([first]);
    let [entry] = (await deliveryLog(endpoint.id, member)).filter((d) => d.eventId === first);
    expect(entry).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastResponseCode: 500,
      nextAttemptAt: new Date(t0.getTime() + 30_000).toISOString(),
    });

    later(29_000);
    await deliverAll(deps);
    expect(receiver.received).toHaveLength(1);

    later(1_000);
    const t1 = app.clock.now();
    await deliverAll(deps);
    [entry] = (await deliveryLog(endpoint.id, member)).filter((d) => d.eventId === first);
    expect(entry).toMatchObject({
      status: 'pending',
      attempts: 2,
      lastResponseCode: null,
      lastError: 'no answer within 300 ms',
      nextAttemptAt: new Date(t1.getTime() + 60_000).toISOString(),
    });

    later(60_000);
    const t2 = app.clock.now();
    await deliverAll(deps);
    expect(receiver.received.map((r) => r.eventId)).toEqual([first, first, first, second]);
    const log = await deliveryLog(endpoint.id, member);
    const firstEntry = log.find((d) => d.eventId === first);
    expect(firstEntry).toMatchObject({
      status: 'succeeded',
      attempts: 3,
      lastResponseCode: 200,
      deliveredAt: t2.toISOString(),
    });
    expect(firstEntry.attemptLog.map((a: any) => [a.attemptedAt, a.responseCode, a.error])).toEqual([
      [t0.toISOString(), 500, 'HTTP 500'],
      [t1.toISOString(), null, 'no answer within 300 ms'],
      [t2.toISOString(), 200, null],
    ]);
    expect(log.find((d) => d.eventId === second)).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('gives up after 3 days of doubling delays, and then lets the payment’s next event through', async () => {
    const member = await workspace();
    const endpoint = await addEndpoint(app, member, { url: receiver.url });
    const paymentId = randomUUID();
    const [first, next] = await insertEvents(app.database.db, {
      workspaceId: member.workspaceId,
      at: app.clock.now(),
      paymentId,
      types: ['payment.created', 'payment.status_changed'],
    });
    const queuedAt = app.clock.now();
    receiver.answers.push(...Array.from({ length: 30 }, () => 503));
    await deliverWebhooks(jobDeps(app));
    // Straight to each next try, as the loop would find it then.
    for (let i = 0; i < 30; i++) {
      const [row] = await app.database.db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.eventId, first!));
      if (row!.status !== 'pending') break;
      app.clock.set(row!.nextAttemptAt!);
      await deliverWebhooks(jobDeps(app));
    }
    await deliverWebhooks(jobDeps(app));
    const log = await deliveryLog(endpoint.id, member);
    const failed = log.find((d) => d.eventId === first);
    expect(failed.status).toBe('failed');
    expect(failed.nextAttemptAt).toBeNull();
    const delays = failed.attemptLog.map((a: any) => new Date(a.attemptedAt).getTime() - queuedAt.getTime());
    // 0, 30 s, 1.5 min, 3.5 min … each gap double the one before, the last try within 3 days.
    const gaps = delays.slice(1).map((d: number, i: number) => d - delays[i]);
    expect(gaps[0]).toBe(30_000);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBe(gaps[i - 1] * 2);
    expect(delays.at(-1)).toBeLessThanOrEqual(3 * 86_400_000);
    expect(delays.at(-1) + gaps.at(-1) * 2).toBeGreaterThan(3 * 86_400_000);
    // Its failure unblocks the payment's next event (answered 503 too, it is tried at once).
    expect(receiver.received.at(-1)!.eventId).toBe(next);
  });
});

describe('several instances', () => {
  it('deliver each event once when two run the job at the same time', async () => {
    const member = await workspace();
    await addEndpoint(app, member, { url: receiver.url });
    const ids: string[] = [];
    for (let payment = 0; payment < 8; payment++) {
      ids.push(
        ...(await insertEvents(app.database.db, {
          workspaceId: member.workspaceId,
          at: app.clock.now(),
          paymentId: randomUUID(),
          types: ['payment.created', 'payment.status_changed', 'payment.flagged'],
        })),
      );
    }
    // A second instance: its own connection pool on PostgreSQL (PGlite has one connection per process).
    const second: Database = database.url
      ? await openDatabase({ databaseUrl: database.url, migrate: false })
      : database;
    try {
      const a = jobDeps(app);
      const b = jobDeps(app, { db: second.db, logger: createMemoryLogger() });
      for (let pass = 0; pass < 20; pass++) {
        const [ra, rb] = await Promise.all([deliverWebhooks(a), deliverWebhooks(b)]);
        if (ra.queued + ra.sent + rb.queued + rb.sent === 0) break;
      }
    } finally {
      if (second !== database) await second.close();
    }
    const got = receiver.received.map((r) => r.eventId);
    expect(got.toSorted()).toEqual(ids.toSorted());
    for (let payment = 0; payment < 8; payment++) {
      const own = ids.slice(payment * 3, payment * 3 + 3);
      expect(got.filter((id) => own.includes(id))).toEqual(own);
    }
  });
});

describe('what the sender refuses', () => {
  it('does not follow a redirect: the try fails and the target it names gets nothing', async () => {
    const member = await workspace();
    const endpoint = await addEndpoint(app, member, { url: receiver.url });
    receiver.answers.push({ redirectTo: `${receiver.url}/elsewhere` });
    await insertEvents(app.database.db, {
      workspaceId: member.workspaceId,
      at: app.clock.now(),
      types: ['link.created'],
    });
    await deliverAll();
    expect(receiver.received.map((r) => r.path)).toEqual(['/hooks']);
    const [entry] = await deliveryLog(endpoint.id, member);
    expect(entry).toMatchObject({
      status: 'pending',
      lastResponseCode: 302,
      lastError: expect.stringMatching(/not followed/),
    });
  });

  it('checks the address again at send time: a name that now resolves to loopback gets nothing', async () => {
    const member = await strict.signUp('Resolver');
    // Saved while public; then its name came to resolve to 127.0.0.1 (written straight to the row).
    const endpoint = await addEndpoint(strict, member, { url: 'https://93.184.215.14/hooks' });
    const port = new URL(receiver.url).port;
    await strict.database.db
      .update(webhookEndpoints)
      .set({ url: `http://localhost:${port}/hooks` })
      .where(eq(webhookEndpoints.id, endpoint.id));
    await insertEvents(strict.database.db, {
      workspaceId: member.workspaceId,
      at: strict.clock.now(),
      types: ['link.created'],
    });
    await deliverWebhooks(jobDeps(strict, { policy: { publicUrl: testPublicUrl, allowPrivate: false } }));
    expect(receiver.received).toEqual([]);
    const log = await json(
      await strict.call(member, 'GET', `/api/webhook-endpoints/${endpoint.id}/deliveries`),
    );
    expect(log.deliveries[0]).toMatchObject({
      status: 'pending',
      lastResponseCode: null,
      lastError: 'localhost resolves to a non-public address',
    });
  });
});

describe('rotation and resend', () => {
  it('signs with both secrets for 24 hours after a rotation, then with the new one only', async () => {
    const member = await workspace();
    const endpoint = await addEndpoint(app, member, { url: receiver.url });
    const rotated = await json(
      await app.call(member, 'POST', `/api/webhook-endpoints/${endpoint.id}/rotate-secret`),
    );
    await insertEvents(app.database.db, {
      workspaceId: member.workspaceId,
      at: app.clock.now(),
      types: ['link.created'],
    });
    await deliverAll();
    const [during] = receiver.received;
    const t = seconds(app.clock.now());
    expect(during!.signature.match(/v1=/g)).toHaveLength(2);
    expect(verify(during!.body, during!.signature, rotated.secret, t)).toBe(true);
    expect(verify(during!.body, during!.signature, endpoint.secret, t)).toBe(true);

    later(24 * 3_600_000 + 1_000);
    await insertEvents(app.database.db, {
      workspaceId: member.workspaceId,
      at: app.clock.now(),
      types: ['link.deleted'],
    });
    await deliverAll();
    const after = receiver.received[1]!;
    const t2 = seconds(app.clock.now());
    expect(after.signature.match(/v1=/g)).toHaveLength(1);
    expect(verify(after.body, after.signature, rotated.secret, t2)).toBe(true);
    expect(verify(after.body, after.signature, endpoint.secret, t2)).toBe(false);
  });

  it('resends a delivered event with the same event id, as a new entry in the log', async () => {
    const member = await workspace();
    const endpoint = await addEndpoint(app, member, { url: receiver.url });
    const [id] = await insertEvents(app.database.db, {
      workspaceId: member.workspaceId,
      at: app.clock.now(),
      types: ['link.expired'],
    });
    await deliverAll();
    const [delivered] = await deliveryLog(endpoint.id, member);
    const response = await app.call(
      member,
      'POST',
      `/api/webhook-endpoints/${endpoint.id}/deliveries/${delivered.id}/resend`,
    );
    expect(response.status).toBe(202);
    expect(await json(response)).toMatchObject({ eventId: id, status: 'pending', attempts: 0 });
    await deliverAll();
    expect(receiver.received.map((r) => r.eventId)).toEqual([id, id]);
    expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
    const log = await deliveryLog(endpoint.id, member);
    expect(log.map((d) => [d.eventId, d.status])).toEqual([
      [id, 'succeeded'],
      [id, 'succeeded'],
    ]);
    const rows = await app.database.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.eventId, id!));
    expect(rows).toHaveLength(2);
  });
});

// A public address literal: saving it needs no DNS, and nothing is sent to it.
const publicUrl = 'https://93.184.215.14/hooks/paylinks';

describe('adding an endpoint', () => {
  it('shows a whsec_ secret once, keeps it encrypted, and never returns it again', async () => {
    const response = await strict.call(acme, 'POST', '/api/webhook-endpoints', {
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
    strict.clock.set(new Date(strict.clock.now().getTime() + 1_000));
    const other = await addEndpoint(strict, acme, { url: publicUrl });
    expect(other.secret).not.toBe(created.secret);

    const read = await json(await strict.call(acme, 'GET', `/api/webhook-endpoints/${created.id}`));
    expect(read).not.toHaveProperty('secret');
    const list = await json(await strict.call(acme, 'GET', '/api/webhook-endpoints'));
    expect(list.webhookEndpoints.map((e: any) => e.id)).toEqual([created.id, other.id]);
    expect(JSON.stringify(list)).not.toContain(created.secret);

    const [row] = await strict.database.db
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.id, created.id));
    const stored = JSON.stringify(row, (_key, value) =>
      value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value,
    );
    expect(stored).not.toContain(created.secret.slice(6));
    expect(strict.logger.lines.map((entry) => JSON.stringify(entry)).join('\n')).not.toContain(
      created.secret,
    );
  });

  it('changes URL, types and enabled; a rotation shows a new secret and until when the old one signs', async () => {
    const endpoint = await addEndpoint(strict, acme, { url: publicUrl });
    const patched = await strict.call(acme, 'PATCH', `/api/webhook-endpoints/${endpoint.id}`, {
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
    const rotated = await strict.call(acme, 'POST', `/api/webhook-endpoints/${endpoint.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const body = await json(rotated);
    expect(body.secret).toMatch(/^whsec_/);
    expect(body.secret).not.toBe(endpoint.secret);
    expect(body.previousSecretExpiresAt).toBe(
      new Date(strict.clock.now().getTime() + 86_400_000).toISOString(),
    );

    expect((await strict.call(acme, 'DELETE', `/api/webhook-endpoints/${endpoint.id}`)).status).toBe(204);
    expect((await strict.call(acme, 'GET', `/api/webhook-endpoints/${endpoint.id}`)).status).toBe(404);
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
    const before = await strict.database.db.select().from(webhookEndpoints);
    const response = await strict.call(acme, 'POST', '/api/webhook-endpoints', { url });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await json(response)).toMatchObject({ code: 'webhook_url_not_allowed', field: 'url' });
    expect(await strict.database.db.select().from(webhookEndpoints)).toHaveLength(before.length);
  });

  it('refuses a change of URL to a private address and keeps the old one', async () => {
    const endpoint = await addEndpoint(strict, acme, { url: publicUrl });
    const response = await strict.call(acme, 'PATCH', `/api/webhook-endpoints/${endpoint.id}`, {
      url: 'http://192.168.0.10/hooks',
    });
    expect(response.status).toBe(422);
    expect(await json(response)).toMatchObject({ code: 'webhook_url_not_allowed', field: 'url' });
    expect((await json(await strict.call(acme, 'GET', `/api/webhook-endpoints/${endpoint.id}`))).url).toBe(
      publicUrl,
    );
  });

  it('refuses a host that does not resolve, naming the url', async () => {
    const response = await strict.call(acme, 'POST', '/api/webhook-endpoints', {
      url: 'https://no-such-host.invalid/hooks',
    });
    expect(response.status).toBe(422);
    expect(await json(response)).toMatchObject({ code: 'webhook_url_unresolvable', field: 'url' });
  });
});

describe('who may manage endpoints', () => {
  it("answers another workspace's endpoint and its deliveries with 404, and changes nothing", async () => {
    const endpoint = await addEndpoint(strict, acme, { url: publicUrl });
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
      const response = await strict.call(rival, method, path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    const list = await json(await strict.call(rival, 'GET', '/api/webhook-endpoints'));
    expect(list.webhookEndpoints).toEqual([]);
    expect(await json(await strict.call(acme, 'GET', base))).toMatchObject({ enabled: true });
  });

  it('refuses members and API keys without scope all (403), and lets an all-scope key manage', async () => {
    const member = await strict.addMember(acme, 'member');
    const refusedMember = await strict.call(member, 'GET', '/api/webhook-endpoints');
    expect(refusedMember.status).toBe(403);
    expect(await json(refusedMember)).toMatchObject({ code: 'forbidden' });

    for (const scope of ['read', 'payments'] as const) {
      const { key } = await createApiKey(strict, acme, `${scope} key`, { scope });
      for (const [method, body] of [['GET'], ['POST', { url: publicUrl }]] as const) {
        const response = await callWithKey(strict, key, method, '/api/webhook-endpoints', body);
        expect(response.status, `${scope} ${method}`).toBe(403);
        expect(await json(response)).toMatchObject({ code: 'insufficient_scope' });
      }
    }
    const { key } = await createApiKey(strict, acme, 'integration', { scope: 'all' });
    const created = await callWithKey(strict, key, 'POST', '/api/webhook-endpoints', { url: publicUrl });
    expect(created.status).toBe(201);
    expect((await callWithKey(strict, key, 'GET', '/api/webhook-endpoints')).status).toBe(200);
  });
});
