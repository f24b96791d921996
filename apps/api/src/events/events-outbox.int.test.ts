import { events, payments } from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import { createSandboxProvider } from '@paylinks/plugin-sandbox';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeLinkExpiryEvents } from '../jobs/link-expiry-events.js';
import { createHostedTestProvider } from '../public-pay/hosted-provider-fixture.js';
import {
  type CrmFixture,
  checkout,
  createDeal,
  createLink,
  crmFixture,
  nextMinute,
  openLink,
} from '../public-pay/public-pay-fixtures.js';
import { type TestApp, type TestMember, testApp, testClock } from '../testing/test-app.js';
import { toEventEnvelope } from './event-envelope.js';

type Json = any;

const hosted = createHostedTestProvider();
let app: TestApp;
let ada: TestMember;
let crm: CrmFixture;
let hostedMethodId: string;

beforeAll(async () => {
  app = testApp(await openTestDatabase(), { providers: [createSandboxProvider(), hosted.provider] });
  ada = await app.signUp('Outbox');
  crm = await crmFixture(app, ada);
  const connected = await app.call(ada, 'POST', '/api/payment-methods', {
    providerId: 'hosted',
    credentials: {},
  });
  expect(connected.status).toBe(201);
  hostedMethodId = ((await connected.json()) as Json).id;
});
afterAll(() => app.close());
beforeEach(() => nextMinute(app));

/** The outbox rows about a link and its payments, in sequence order, as their public envelopes. */
async function eventsOfLink(linkId: string) {
  const rows = await app.database.db.select().from(events).orderBy(asc(events.sequence));
  const paymentIds = new Set(
    (await app.database.db.select({ id: payments.id }).from(payments).where(eq(payments.linkId, linkId))).map(
      (p) => p.id,
    ),
  );
  return rows
    .filter((row) => row.linkId === linkId || (row.paymentId !== null && paymentIds.has(row.paymentId)))
    .map((row) => ({ ...toEventEnvelope(row), paymentId: row.paymentId, workspaceId: row.workspaceId }));
}

const typesOf = (list: { type: string }[]) => list.map((event) => event.type);

async function visit(token: string): Promise<string> {
  const { response } = await openLink(app, token);
  expect(response.status).toBe(200);
  return ((await response.json()) as Json).paymentId;
}

async function redirected(token: string, paymentId: string): Promise<string> {
  const response = await checkout(app, token, {
    paymentId,
    email: 'payer@example.com',
    phone: '+31 6 12345678',
  });
  expect(response.status).toBe(200);
  const [row] = await app.database.db.select().from(payments).where(eq(payments.id, paymentId));
  return row!.providerReference!;
}

const deliver = (webhook: { body: string; headers: Record<string, string> }) =>
  app.request(`/api/webhooks/${hostedMethodId}`, { method: 'POST', ...webhook });

describe('the outbox: each change writes its events in the same statement', () => {
  it('a contact link: created, opened, confirmed (its deal created), deleted — each event once, in order', async () => {
    const link = await createLink(app, ada, crm, { origin: 'contact', amount: '12.34' });
    const paymentId = await visit(link.token);
    const confirmed = await app.call(ada, 'POST', `/api/payments/${paymentId}/confirm`, { note: 'cash' });
    expect(confirmed.status).toBe(200);
    const dealId = ((await confirmed.json()) as Json).dealId;
    expect((await app.call(ada, 'DELETE', `/api/payment-links/${link.id}`)).status).toBe(200);
    // Refused: already deleted. Nothing is written for it.
    expect((await app.call(ada, 'DELETE', `/api/payment-links/${link.id}`)).status).toBe(409);

    const written = await eventsOfLink(link.id);
    expect(typesOf(written)).toEqual([
      'link.created',
      'payment.created',
      'payment.status_changed',
      'deal.created',
      'link.deleted',
    ]);
    expect(written.every((event) => event.workspaceId === ada.workspaceId)).toBe(true);
    const [created, opened, changed, deal, deleted] = written as Json[];
    expect(created.data.link).toMatchObject({
      id: link.id,
      origin: 'contact',
      amount: { amount: '12.34', currency: 'EUR' },
      deletedAt: null,
    });
    expect(opened.data.payment).toMatchObject({ id: paymentId, status: 'processing', linkId: link.id });
    expect(changed.data).toMatchObject({
      from: 'processing',
      to: 'confirmed_by_team_member',
      payment: { id: paymentId, status: 'confirmed_by_team_member', dealId },
    });
    expect(deal.data).toMatchObject({
      paymentId,
      linkId: link.id,
      deal: { id: dealId, contactId: crm.contactId },
    });
    expect(deleted.data.link.deletedAt).toEqual(expect.any(String));
  });

  it('a deal link paid twice: the second success is flagged a duplicate once, each payment in order', async () => {
    const dealId = await createDeal(app, ada, crm);
    const link = await createLink(app, ada, { ...crm, methodId: hostedMethodId }, { origin: 'deal', dealId });
    const first = await visit(link.token);
    const second = await visit(link.token);
    const firstRef = await redirected(link.token, first);
    const secondRef = await redirected(link.token, second);
    const lateSuccess = hosted.pay(secondRef);
    expect((await deliver(hosted.pay(firstRef))).status).toBe(200);
    expect((await deliver(lateSuccess)).status).toBe(200);
    // The same provider event again changes nothing, and so writes nothing.
    expect((await deliver(lateSuccess)).status).toBe(200);

    const written = await eventsOfLink(link.id);
    const of = (id: string) => written.filter((event) => event.paymentId === id);
    expect(typesOf(of(first))).toEqual(['payment.created', 'payment.status_changed']);
    expect(typesOf(of(second))).toEqual(['payment.created', 'payment.status_changed', 'payment.flagged']);
    expect((of(second)[2] as Json).data).toMatchObject({ flag: 'duplicate', payment: { duplicate: true } });
    expect(typesOf(written).filter((type) => type === 'link.created')).toHaveLength(1);
  });

  it('a success after the link was deleted is flagged late', async () => {
    const link = await createLink(app, ada, { ...crm, methodId: hostedMethodId }, { origin: 'deal' });
    const paymentId = await visit(link.token);
    const reference = await redirected(link.token, paymentId);
    expect((await app.call(ada, 'DELETE', `/api/payment-links/${link.id}`)).status).toBe(200);
    expect((await deliver(hosted.pay(reference))).status).toBe(200);

    const written = await eventsOfLink(link.id);
    expect(typesOf(written)).toEqual([
      'link.created',
      'payment.created',
      'link.deleted',
      'payment.status_changed',
      'payment.flagged',
    ]);
    expect((written[4] as Json).data).toMatchObject({ flag: 'late', payment: { id: paymentId, late: true } });
  });

  it('money confirmed for a link nobody opened: the payment is created, then its status changes', async () => {
    const link = await createLink(app, ada, crm, { origin: 'deal', dealId: await createDeal(app, ada, crm) });
    const confirmed = await app.call(ada, 'POST', '/api/payments/confirm-link', { linkId: link.id });
    expect(confirmed.status).toBe(201);
    const paymentId = ((await confirmed.json()) as Json).id;
    const written = await eventsOfLink(link.id);
    expect(typesOf(written)).toEqual(['link.created', 'payment.created', 'payment.status_changed']);
    expect(written.slice(1).every((event) => event.paymentId === paymentId)).toBe(true);
  });

  it('writes nothing for a refused action', async () => {
    const before = (await app.database.db.select({ id: events.id }).from(events)).length;
    const missingContact = await app.call(ada, 'POST', '/api/payment-links', {
      origin: 'contact',
      contactId: crypto.randomUUID(),
      description: 'Nobody',
      methodId: crm.methodId,
      amount: '10.00',
      currency: 'EUR',
    });
    expect(missingContact.status).toBe(404);
    const link = await createLink(app, ada, crm, { origin: 'deal', dealId: await createDeal(app, ada, crm) });
    const paymentId = await visit(link.token);
    expect((await app.call(ada, 'POST', `/api/payments/${paymentId}/confirm`, {})).status).toBe(200);
    // Confirming again is refused: no second status change.
    expect((await app.call(ada, 'POST', `/api/payments/${paymentId}/confirm`, {})).status).toBe(409);
    const after = (await app.database.db.select({ id: events.id }).from(events)).length;
    expect(after - before).toBe(3);
  });
});

describe('link.expired', () => {
  it('is written once per expiry, even when two instances run the job at the same moment', async () => {
    const link = await createLink(app, ada, crm, { origin: 'contact', validityDays: 1 });
    const at = new Date(app.clock.now().getTime() + 24 * 60 * 60_000 + 1000);
    app.clock.set(at);
    // Two instances: each its own context and clock, one database.
    const instances = [0, 1].map(() => ({ db: app.database.db, clock: testClock(at), logger: app.logger }));
    await Promise.all([...instances, ...instances].map((instance) => writeLinkExpiryEvents(instance)));
    await writeLinkExpiryEvents(instances[1]!);
    const expired = (await eventsOfLink(link.id)).filter((event) => event.type === 'link.expired');
    expect(expired).toHaveLength(1);
    expect((expired[0] as Json).data).toMatchObject({ link: { id: link.id }, expiresAt: expect.any(String) });
  });

  it('is written again when an edit gave the expired link a new validity and that one ended too', async () => {
    const link = await createLink(app, ada, crm, { origin: 'contact', validityDays: 1 });
    const jobs = { db: app.database.db, clock: app.clock, logger: app.logger };
    const day = 24 * 60 * 60_000;
    const created = app.clock.now().getTime();
    app.clock.set(new Date(created + day + 1000));
    await writeLinkExpiryEvents(jobs);
    const edited = await app.call(ada, 'PATCH', `/api/payment-links/${link.id}`, { validityDays: 3 });
    expect(edited.status).toBe(200);
    await writeLinkExpiryEvents(jobs);
    app.clock.set(new Date(created + 3 * day + 1000));
    await writeLinkExpiryEvents(jobs);
    await writeLinkExpiryEvents(jobs);
    const expired = (await eventsOfLink(link.id)).filter((event) => event.type === 'link.expired') as Json[];
    expect(expired.map((event) => event.data.expiresAt)).toEqual([
      new Date(created + day).toISOString(),
      new Date(created + 3 * day).toISOString(),
    ]);
  });

  it('is not written for a link that has not expired, or was deleted first', async () => {
    const open = await createLink(app, ada, crm, { origin: 'contact', validityDays: 3 });
    const deleted = await createLink(app, ada, crm, { origin: 'contact', validityDays: 1 });
    expect((await app.call(ada, 'DELETE', `/api/payment-links/${deleted.id}`)).status).toBe(200);
    app.clock.set(new Date(app.clock.now().getTime() + 2 * 24 * 60 * 60_000));
    await writeLinkExpiryEvents({ db: app.database.db, clock: app.clock, logger: app.logger });
    expect(typesOf(await eventsOfLink(open.id))).toEqual(['link.created']);
    expect(typesOf(await eventsOfLink(deleted.id))).toEqual(['link.created', 'link.deleted']);
  });
});
