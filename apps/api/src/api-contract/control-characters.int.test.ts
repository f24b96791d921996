import {
  apikey,
  contacts,
  deals,
  member,
  memberInvitations,
  paymentEvents,
  paymentLinks,
  paymentMethods,
  payments,
  pipelineStages,
  pipelines,
  stageAutomations,
  user,
  workspaces,
} from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrmFixture, createLink, crmFixture } from '../public-pay/public-pay-fixtures.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { fillPath, type JsonSchema, listOperations, type Operation } from './openapi-operations.js';

// Walks every operation in /api/openapi.json and puts a control character in each text input it
// has, body field or query parameter. PostgreSQL cannot store U+0000, so before text-schema.ts
// this was a 500 (or a CSV download cut after its 200). Now each is a 422 naming the field, and
// nothing stored changes.

let app: TestApp;
let owner: TestMember;
let crm: CrmFixture;
let link: { id: string; token: string };
let paymentId: string;
let operations: Operation[];

const storedTables = {
  apikey,
  contacts,
  deals,
  member,
  memberInvitations,
  paymentEvents,
  paymentLinks,
  paymentMethods,
  payments,
  pipelineStages,
  pipelines,
  stageAutomations,
  user,
  workspaces,
};

const bigIntAsText = (_: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);

async function storedRows(): Promise<Record<string, string[]>> {
  const snapshot: Record<string, string[]> = {};
  for (const [name, table] of Object.entries(storedTables)) {
    const rows = await app.database.db.select().from(table as typeof contacts);
    snapshot[name] = rows.map((row) => JSON.stringify(row, bigIntAsText)).sort();
  }
  return snapshot;
}

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Control characters');
  crm = await crmFixture(app, owner);
  link = await createLink(app, owner, crm, { origin: 'contact' });
  const other = await createLink(app, owner, crm, { origin: 'contact' });
  const confirmed = await app.call(owner, 'POST', '/api/payments/confirm-link', { linkId: other.id });
  expect(confirmed.status).toBe(201);
  paymentId = ((await confirmed.json()) as { id: string }).id;
  operations = listOperations((await (await app.request('/api/openapi.json')).json()) as never);
});
afterAll(() => app.close());

/** Real ids in the path, so a request that got past validation would reach a real row. */
function pathOf(op: Operation): string {
  const area = op.path.split('/')[2];
  const byArea: Record<string, string> = {
    contacts: crm.contactId,
    deals: crm.dealId,
    pipelines: crm.pipelineId,
    'payment-methods': crm.methodId,
    'payment-links': link.id,
    payments: paymentId,
    members: owner.userId,
    'api-keys': crypto.randomUUID(),
  };
  return fillPath(op.path, {
    id: byArea[area ?? ''] ?? crypto.randomUUID(),
    stageId: Object.values(crm.stages)[0]!,
    token: link.token,
    userId: owner.userId,
  });
}

const isString = (schema: JsonSchema): boolean =>
  schema.type === 'string' ||
  (Array.isArray(schema.type) && schema.type.includes('string')) ||
  [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].some(isString);

/** The value to send for one body field, shaped as the field takes it; undefined for non-text fields. */
function carrying(schema: JsonSchema, bad: string): unknown {
  if (isString(schema)) return bad;
  if (schema.type === 'array') return [bad];
  if (schema.type === 'object') return { [`key${bad}`]: bad };
  return undefined;
}

// Soft, so one run lists every input that is not refused rather than the first.
async function expectRefused(response: Response, field: string, what: string) {
  const text = await response.text();
  expect.soft(response.status, `${what} → ${response.status} ${text.slice(0, 300)}`).toBe(422);
  expect.soft(response.headers.get('content-type'), what).toBe('application/problem+json');
  if (response.status !== 422) return;
  const problem = JSON.parse(text) as { field?: string; errors?: { field?: string }[] };
  const fields = [problem.field, ...(problem.errors ?? []).map((error) => error.field)].map((f) => f ?? '');
  expect
    .soft(
      fields.some((f) => f === field || f.startsWith(`${field}.`)),
      `${what} names ${field}: ${fields}`,
    )
    .toBe(true);
}

describe.each([
  ['U+0000', 'a\u0000b'],
  ['U+001B', 'a\u001b[2Jb'],
  ['U+0085', 'a\u0085b'],
])('a %s in any text input', (_, bad) => {
  it('of any request body is refused 422 naming the field, and nothing stored changes', async () => {
    const before = await storedRows();
    let sent = 0;
    for (const op of operations.filter((o) => o.bodySchema?.properties)) {
      for (const [field, schema] of Object.entries(op.bodySchema!.properties!)) {
        const value = carrying(schema, bad);
        if (value === undefined) continue;
        const response = await app.call(owner, op.method, pathOf(op), { [field]: value });
        await expectRefused(response, field, `${op.method} ${op.path} ${field}`);
        sent += 1;
      }
    }
    expect(sent).toBeGreaterThan(30);
    expect(await storedRows()).toEqual(before);
  });

  it('of any query parameter is refused 422 naming it', async () => {
    let sent = 0;
    for (const op of operations.filter((o) => o.queryParams.length > 0)) {
      for (const name of op.queryParams) {
        const response = await app.call(owner, op.method, `${pathOf(op)}?${name}=${encodeURIComponent(bad)}`);
        await expectRefused(response, name, `${op.method} ${op.path}?${name}`);
        sent += 1;
      }
    }
    expect(sent).toBeGreaterThan(10);
  });
});

describe('line breaks', () => {
  it('are refused in a one-line field such as a deal title, and kept in a confirmation note', async () => {
    const title = await app.call(owner, 'PATCH', `/api/deals/${crm.dealId}`, { title: 'Two\nlines' });
    await expectRefused(title, 'title', 'deal title with a line break');
    const third = await createLink(app, owner, crm, { origin: 'contact' });
    const confirmed = await app.call(owner, 'POST', '/api/payments/confirm-link', {
      linkId: third.id,
      note: 'Paid in cash\r\nat the desk\tthanks',
    });
    expect(confirmed.status).toBe(201);
  });
});

describe('the payments CSV export', () => {
  it('with a control character in q answers 422 instead of a 200 cut short', async () => {
    const response = await app.call(owner, 'GET', '/api/payments/export.csv?q=%00');
    await expectRefused(response, 'q', 'export q=%00');
  });

  it('with odd text already stored is a complete download', async () => {
    // Stored before the rule existed, or by a path that bypassed the API.
    await app.database.db
      .update(payments)
      .set({ description: 'Odd \u001b[31m; red\ttab =1+1 "quoted"\r\nnext line' })
      .where(eq(payments.id, paymentId));
    const response = await app.call(owner, 'GET', '/api/payments/export.csv');
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body.endsWith('\r\n')).toBe(true);
    const rows = await app.database.db
      .select({ id: payments.id })
      .from(payments)
      .where(eq(payments.workspaceId, owner.workspaceId));
    for (const { id } of rows) expect(body).toContain(id);
    expect(body).toContain('"Odd \u001b[31m; red\ttab =1+1 ""quoted""\r\nnext line"');
  });
});
