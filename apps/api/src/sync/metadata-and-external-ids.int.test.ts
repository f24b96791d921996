import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrmFixture, crmFixture, openLink, paymentsOfLink } from '../public-pay/public-pay-fixtures.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';

type Json = any;

let app: TestApp;
let owner: TestMember;
let rival: TestMember;
let crm: CrmFixture;
let rivalCrm: CrmFixture;

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  [owner, rival] = await Promise.all([app.signUp('Acme'), app.signUp('Rival')]);
  [crm, rivalCrm] = await Promise.all([crmFixture(app, owner), crmFixture(app, rival)]);
});
afterAll(() => app.close());

const json = async (response: Response) => ({
  status: response.status,
  body: (await response.json()) as Json,
});

/** n keys named k00, k01, … with the value `value`. */
const keys = (n: number, value = 'v') =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${String(i).padStart(2, '0')}`, value]));
// 16 pairs of a 12-character key and a 500-character value: 8,192 bytes exactly.
const atByteLimit = Object.fromEntries(
  Array.from({ length: 16 }, (_, i) => [`key-${String(i).padStart(8, '0')}`, 'x'.repeat(500)]),
);

describe('metadata', () => {
  const accepted: [string, Record<string, string>][] = [
    ['20 keys', keys(20)],
    ['a 40-character key', { ['k'.repeat(40)]: 'v' }],
    ['every allowed key character', { 'Az09_.-': 'v' }],
    ['a 500-character value', { note: 'x'.repeat(500) }],
    ['8,192 bytes in all', atByteLimit],
  ];
  it.each(accepted)('keeps %s on a contact, as sent', async (_, metadata) => {
    const { status, body } = await json(
      await app.call(owner, 'POST', '/api/contacts', { name: 'Meta', metadata }),
    );
    expect(status).toBe(201);
    expect(body.metadata).toEqual(metadata);
    expect((await json(await app.call(owner, 'GET', `/api/contacts/${body.id}`))).body.metadata).toEqual(
      metadata,
    );
  });

  const refused: [string, unknown, string, string][] = [
    ['21 keys', keys(21), 'metadata', 'too_many_keys'],
    ['a 41-character key', { ['k'.repeat(41)]: 'v' }, `metadata.${'k'.repeat(41)}`, 'invalid_metadata_key'],
    ['a key with a space', { 'order id': 'v' }, 'metadata.order id', 'invalid_metadata_key'],
    ['a 501-character value', { note: 'x'.repeat(501) }, 'metadata.note', 'too_big'],
    ['8,193 bytes in all', { ...atByteLimit, z: '' }, 'metadata', 'too_big'],
    ['a number as a value', { count: 3 }, 'metadata.count', 'invalid_type'],
    ['a nested object', { nested: { a: 'b' } }, 'metadata.nested', 'invalid_type'],
    ['a list', ['a'], 'metadata', 'invalid_type'],
  ];
  it.each(refused)(
    'refuses %s with problem+json naming the field, and stores nothing',
    async (_, metadata, field, code) => {
      const name = `Refused ${field}`;
      const response = await app.call(owner, 'POST', '/api/contacts', { name, metadata });
      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const problem: Json = await response.json();
      expect(problem.field).toBe(field);
      expect(problem.errors.map((e: Json) => e.code)).toContain(code);
      const listed = await json(
        await app.call(owner, 'GET', `/api/contacts?${new URLSearchParams({ q: name })}`),
      );
      expect(listed.body.items).toEqual([]);
    },
  );

  it('is set on deals and links, replaced by PATCH, and copied onto a payment at click-through', async () => {
    const deal = await json(
      await app.call(owner, 'POST', '/api/deals', {
        title: 'Tagged',
        contactId: crm.contactId,
        metadata: { crmDeal: 'D-7' },
      }),
    );
    expect(deal.body.metadata).toEqual({ crmDeal: 'D-7' });
    const patchedDeal = await json(
      await app.call(owner, 'PATCH', `/api/deals/${deal.body.id}`, { metadata: { crmDeal: 'D-8' } }),
    );
    expect(patchedDeal.body.metadata).toEqual({ crmDeal: 'D-8' });
    expect(patchedDeal.body.updatedAt > deal.body.updatedAt).toBe(true);
    const badDeal = await app.call(owner, 'PATCH', `/api/deals/${deal.body.id}`, {
      metadata: { 'a b': 'c' },
    });
    expect((await badDeal.json()) as Json).toMatchObject({ status: 422, field: 'metadata.a b' });

    const link = await json(
      await app.call(owner, 'POST', '/api/payment-links', {
        origin: 'deal',
        dealId: deal.body.id,
        description: 'Tagged link',
        methodId: crm.methodId,
        amount: '10.00',
        currency: 'EUR',
        metadata: { order: 'O-1', source: 'crm' },
      }),
    );
    expect(link.status).toBe(201);
    expect(link.body.metadata).toEqual({ order: 'O-1', source: 'crm' });
    const token = new URL(link.body.url).pathname.split('/').pop()!;
    expect((await openLink(app, token)).response.status).toBe(200);

    const [recorded] = await paymentsOfLink(app, link.body.id);
    const payment = await json(await app.call(owner, 'GET', `/api/payments/${recorded!.id}`));
    expect(payment.body.metadata).toEqual({ order: 'O-1', source: 'crm' });

    // Editing the link's metadata moves the link; the payment recorded keeps what it started with.
    const edited = await json(
      await app.call(owner, 'PATCH', `/api/payment-links/${link.body.id}`, { metadata: { order: 'O-2' } }),
    );
    expect(edited.status).toBe(200);
    expect(edited.body.metadata).toEqual({ order: 'O-2' });
    expect(edited.body.updatedAt > link.body.updatedAt).toBe(true);
    expect(edited.body.history).toEqual([]);
    expect((await json(await app.call(owner, 'GET', `/api/payments/${recorded!.id}`))).body.metadata).toEqual(
      {
        order: 'O-1',
        source: 'crm',
      },
    );

    const changed = await json(
      await app.call(owner, 'PATCH', `/api/payments/${recorded!.id}`, { metadata: { invoice: 'F-9' } }),
    );
    expect(changed.status).toBe(200);
    expect(changed.body.metadata).toEqual({ invoice: 'F-9' });
    expect(changed.body.updatedAt > payment.body.updatedAt).toBe(true);
    // The same map again changes nothing, not even updatedAt.
    const same = await json(
      await app.call(owner, 'PATCH', `/api/payments/${recorded!.id}`, { metadata: { invoice: 'F-9' } }),
    );
    expect(same.body.updatedAt).toBe(changed.body.updatedAt);

    const tooLong = await app.call(owner, 'PATCH', `/api/payments/${recorded!.id}`, {
      metadata: { invoice: 'x'.repeat(501) },
    });
    expect((await tooLong.json()) as Json).toMatchObject({ status: 422, field: 'metadata.invoice' });
    const other = await app.call(owner, 'PATCH', `/api/payments/${recorded!.id}`, {
      metadata: {},
      status: 'complete',
    });
    expect((await other.json()) as Json).toMatchObject({ status: 422, field: 'status' });
    const foreign = await app.call(rival, 'PATCH', `/api/payments/${recorded!.id}`, { metadata: {} });
    expect(foreign.status).toBe(404);
    expect((await json(await app.call(owner, 'GET', `/api/payments/${recorded!.id}`))).body.metadata).toEqual(
      {
        invoice: 'F-9',
      },
    );

    // Money the team confirms for the link makes a payment too: it starts with the link's metadata of now.
    const confirmed = await json(
      await app.call(owner, 'POST', '/api/payments/confirm-link', { linkId: link.body.id }),
    );
    expect(confirmed.status).toBe(201);
    expect(confirmed.body.metadata).toEqual({ order: 'O-2' });
  });
});

describe('externalId and exact lookups', () => {
  it('is unique per workspace on contacts: 409 on externalId, another workspace may use it', async () => {
    const first = await json(
      await app.call(owner, 'POST', '/api/contacts', { name: 'Ext One', externalId: 'crm-1' }),
    );
    expect(first).toMatchObject({ status: 201, body: { externalId: 'crm-1' } });
    const twice = await app.call(owner, 'POST', '/api/contacts', { name: 'Ext Two', externalId: 'crm-1' });
    expect(twice.status).toBe(409);
    expect(twice.headers.get('content-type')).toContain('application/problem+json');
    expect((await twice.json()) as Json).toMatchObject({ code: 'external_id_taken', field: 'externalId' });
    const second = await json(await app.call(owner, 'POST', '/api/contacts', { name: 'Ext Two' }));
    const patched = await app.call(owner, 'PATCH', `/api/contacts/${second.body.id}`, {
      externalId: 'crm-1',
    });
    expect((await patched.json()) as Json).toMatchObject({ status: 409, field: 'externalId' });
    expect(
      (await app.call(rival, 'POST', '/api/contacts', { name: 'Theirs', externalId: 'crm-1' })).status,
    ).toBe(201);
    expect(
      (await app.call(owner, 'POST', '/api/contacts', { name: 'Long', externalId: 'x'.repeat(200) })).status,
    ).toBe(201);
    const tooLong = await app.call(owner, 'POST', '/api/contacts', {
      name: 'Long',
      externalId: 'x'.repeat(201),
    });
    expect((await tooLong.json()) as Json).toMatchObject({ status: 422, field: 'externalId' });

    const byId = await json(await app.call(owner, 'GET', '/api/contacts?externalId=crm-1'));
    expect(byId.body.items.map((c: Json) => c.id)).toEqual([first.body.id]);
    const theirs = await json(await app.call(rival, 'GET', '/api/contacts?externalId=crm-1'));
    expect(theirs.body.items.map((c: Json) => c.name)).toEqual(['Theirs']);
    // Cleared, the id is free again.
    await app.call(owner, 'PATCH', `/api/contacts/${first.body.id}`, { externalId: null });
    expect((await json(await app.call(owner, 'GET', '/api/contacts?externalId=crm-1'))).body.items).toEqual(
      [],
    );
  });

  it('looks contacts up by exact email, case-insensitively, within the workspace', async () => {
    const ada = await json(
      await app.call(owner, 'POST', '/api/contacts', { name: 'Exact Ada', email: 'exact.ada@example.com' }),
    );
    await app.call(owner, 'POST', '/api/contacts', { name: 'Near Ada', email: 'xexact.ada@example.com' });
    await app.call(rival, 'POST', '/api/contacts', { name: 'Rival Ada', email: 'exact.ada@example.com' });
    const found = await json(await app.call(owner, 'GET', '/api/contacts?email=Exact.Ada%40Example.COM'));
    expect(found.body.items.map((c: Json) => c.id)).toEqual([ada.body.id]);
    const none = await json(await app.call(owner, 'GET', '/api/contacts?email=ada%40example.com'));
    expect(none.body.items).toEqual([]);
  });

  it('is unique per workspace on deals, with an exact lookup', async () => {
    const body = { title: 'Ext deal', contactId: crm.contactId, externalId: 'deal-1' };
    const first = await json(await app.call(owner, 'POST', '/api/deals', body));
    expect(first).toMatchObject({ status: 201, body: { externalId: 'deal-1' } });
    const twice = await app.call(owner, 'POST', '/api/deals', body);
    expect((await twice.json()) as Json).toMatchObject({
      status: 409,
      code: 'external_id_taken',
      field: 'externalId',
    });
    const other = await json(await app.call(owner, 'POST', '/api/deals', { ...body, externalId: 'deal-2' }));
    const patched = await app.call(owner, 'PATCH', `/api/deals/${other.body.id}`, { externalId: 'deal-1' });
    expect((await patched.json()) as Json).toMatchObject({ status: 409, field: 'externalId' });
    const theirs = await app.call(rival, 'POST', '/api/deals', { ...body, contactId: rivalCrm.contactId });
    expect(theirs.status).toBe(201);

    const found = await json(await app.call(owner, 'GET', '/api/deals?externalId=deal-1'));
    expect(found.body.items.map((d: Json) => d.id)).toEqual([first.body.id]);
    const rivalFound = await json(await app.call(rival, 'GET', '/api/deals?externalId=deal-1'));
    expect(rivalFound.body.items.map((d: Json) => d.contact.id)).toEqual([rivalCrm.contactId]);
  });
});
