import { webhookDeliveries } from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { fanOutEvents } from '../webhook-endpoints/webhook-delivery-queue.js';
import { fillPath, listOperations, type Operation } from './openapi-operations.js';

// The two-workspace matrix: workspace B tries every route that takes an id with workspace A's ids.
// Each must answer 404 (never 403, never A's data) and leave A's records exactly as they were.
// The routes come from /api/openapi.json, so a new route with an id is covered the day it appears.

let app: TestApp;
let a: TestMember;
let b: TestMember;
let operations: Operation[];
const idsOfA: Record<string, string> = {};

async function created(member: TestMember, path: string, body: unknown): Promise<any> {
  const response = await app.call(member, 'POST', path, body);
  const json: any = await response.json();
  if (response.status !== 201 && response.status !== 200)
    throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  a = await app.signUp('Workspace A');
  b = await app.signUp('Workspace B');
  const contact = await created(a, '/api/contacts', { name: 'Alice A', email: 'alice@a.example' });
  const pipeline = await created(a, '/api/pipelines', { name: 'Courses', stages: ['Lead', 'Paid'] });
  const deal = await created(a, '/api/deals', { title: 'Deal A', contactId: contact.id });
  const methods: any = await (await app.call(a, 'GET', '/api/payment-methods')).json();
  const link = await created(a, '/api/payment-links', {
    origin: 'deal',
    dealId: deal.id,
    description: 'Course A',
    methodId: methods.paymentMethods[0].id,
    amount: '10.00',
    currency: 'EUR',
    validityDays: 7,
  });
  const payment = await created(a, '/api/payments/confirm-link', { linkId: link.id });
  const member = await app.addMember(a, 'member', 'bob@a.example');
  const invitation = await created(a, '/api/invitations', { email: 'carol@a.example', role: 'member' });
  const apiKey = await created(a, '/api/api-keys', { name: 'A key' });
  const course = await created(a, '/api/edu/courses', {
    title: 'Course A',
    free: false,
    published: true,
    price: { amount: '10.00', currency: 'EUR' },
  });
  Object.assign(idsOfA, {
    contacts: contact.id,
    pipelines: pipeline.id,
    stages: pipeline.stages[0].id,
    deals: deal.id,
    'payment-methods': methods.paymentMethods[0].id,
    'payment-links': link.id,
    payments: payment.id ?? payment.payment?.id,
    members: member.userId,
    invitations: invitation.id,
    'api-keys': apiKey.id,
    'edu/courses': course.id,
  });
  // An endpoint at a public address (no DNS, nothing sent), with A's events queued to it.
  const endpoint = await created(a, '/api/webhook-endpoints', { url: 'https://93.184.215.14/hooks' });
  await fanOutEvents(app.database.db, { now: app.clock.now(), limit: 1000 });
  const [delivery] = await app.database.db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.endpointId, endpoint.id));
  Object.assign(idsOfA, { 'webhook-endpoints': endpoint.id, deliverys: delivery!.id });
  operations = listOperations((await (await app.request('/api/openapi.json')).json()) as never);
});
afterAll(() => app.close());

/** A's id for each path parameter: by the resource the path names, and stageId for stages. */
function paramValues(op: Operation): Record<string, string> | string {
  const segments = op.path.split('/');
  // A type plugin's routes sit one level deeper: /api/edu/courses/{id}.
  const resource = (segments[2] === 'edu' ? `edu/${segments[3]}` : segments[2]) ?? '';
  const values: Record<string, string> = {};
  for (const name of op.pathParams) {
    const key = name === 'id' ? resource : name === 'userId' ? 'members' : `${name.replace(/Id$/, '')}s`;
    const value = idsOfA[key];
    if (!value) return `no id of A for {${name}} in ${op.method} ${op.path}`;
    values[name] = value;
  }
  return values;
}

// Bodies valid enough to get past validation, so the answer is about the id, not the body.
function bodyFor(op: Operation): unknown {
  if (!op.bodySchema) return undefined;
  const key = `${op.method} ${op.path}`;
  const bodies: Record<string, unknown> = {
    'PATCH /api/contacts/{id}': { name: 'Mallory' },
    'PATCH /api/deals/{id}': { title: 'Mallory' },
    'POST /api/deals/{id}/move': { stageId: idsOfA.stages },
    'PATCH /api/pipelines/{id}': { name: 'Mallory' },
    'POST /api/pipelines/{id}/stages': { name: 'Mallory' },
    'PATCH /api/pipelines/{id}/stages/{stageId}': { name: 'Mallory' },
    'PUT /api/pipelines/{id}/stages/order': { stageIds: [idsOfA.stages] },
    'PUT /api/pipelines/{id}/automations': { complete: idsOfA.stages },
    'PATCH /api/payment-methods/{id}': { displayName: 'Mallory' },
    'PATCH /api/payment-links/{id}': { description: 'Mallory' },
    'PATCH /api/members/{userId}': { role: 'admin' },
    'POST /api/payments/{id}/confirm': { note: 'Mallory' },
    'PATCH /api/edu/courses/{id}': { title: 'Mallory' },
    'PATCH /api/webhook-endpoints/{id}': { description: 'Mallory' },
    'PATCH /api/payments/{id}': { metadata: { source: 'Mallory' } },
  };
  return bodies[key] ?? {};
}

async function snapshotOfA(): Promise<Record<string, string>> {
  const paths = [
    `/api/contacts/${idsOfA.contacts}`,
    `/api/deals/${idsOfA.deals}`,
    `/api/pipelines/${idsOfA.pipelines}`,
    `/api/payment-methods/${idsOfA['payment-methods']}`,
    `/api/payment-links/${idsOfA['payment-links']}`,
    `/api/payments/${idsOfA.payments}`,
    '/api/members',
    '/api/invitations',
    '/api/api-keys',
    `/api/edu/courses/${idsOfA['edu/courses']}`,
    `/api/edu/contacts/${idsOfA.contacts}/enrollments`,
    `/api/webhook-endpoints/${idsOfA['webhook-endpoints']}`,
    `/api/webhook-endpoints/${idsOfA['webhook-endpoints']}/deliveries`,
  ];
  const entries = await Promise.all(
    paths.map(async (p) => [p, await (await app.call(a, 'GET', p)).text()] as const),
  );
  return Object.fromEntries(entries);
}

describe('workspace isolation', () => {
  it("answers 404 to every route given another workspace's id, and changes nothing there", async () => {
    const before = await snapshotOfA();
    // The payment page and invitation links are addressed by unguessable tokens, not by a workspace's
    // ids; a provider webhook names its method and proves itself with the provider's signature;
    // a brand's logo and colours are public, addressed by the link token or the logo's own hash.
    const withIds = operations.filter(
      (op) =>
        op.pathParams.length > 0 &&
        !op.path.startsWith('/api/pay/') &&
        !op.path.startsWith('/api/branding/') &&
        !op.path.startsWith('/api/invitations/accept/') &&
        !op.path.startsWith('/api/webhooks/'),
    );
    expect(withIds.length).toBeGreaterThan(10);
    const failures: string[] = [];
    for (const op of withIds) {
      const values = paramValues(op);
      if (typeof values === 'string') {
        failures.push(values);
        continue;
      }
      const response = await app.call(b, op.method, fillPath(op.path, values), bodyFor(op));
      const text = await response.text();
      if (response.status !== 404)
        failures.push(`${op.method} ${op.path} → ${response.status} ${text.slice(0, 200)}`);
      if (text.includes('Alice A') || text.includes('alice@a.example'))
        failures.push(`${op.method} ${op.path} leaked A's data`);
    }
    expect(failures).toEqual([]);
    expect(await snapshotOfA()).toEqual(before);
  });

  it("never lists another workspace's records through a filter", async () => {
    const lists = operations.filter((op) => op.method === 'GET' && op.pathParams.length === 0);
    const failures: string[] = [];
    for (const op of lists) {
      for (const name of op.queryParams.filter((q) => q.endsWith('Id'))) {
        const id =
          idsOfA[`${name.replace(/Id$/, '')}s`] ??
          idsOfA[name === 'methodId' ? 'payment-methods' : name === 'linkId' ? 'payment-links' : ''];
        if (!id) continue;
        const response = await app.call(b, 'GET', `${op.path}?${name}=${id}`);
        const text = await response.text();
        if (response.status >= 500) failures.push(`${op.path}?${name} → ${response.status}`);
        if (
          Object.values(idsOfA).some((value) => value !== id && text.includes(value)) ||
          text.includes('Alice A')
        ) {
          failures.push(`${op.path}?${name} leaked A's records`);
        }
      }
    }
    expect(failures).toEqual([]);
    const bList = await (await app.call(b, 'GET', '/api/contacts')).text();
    expect(bList).not.toContain('Alice A');
  });
});
