import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  countLinks,
  insertContact,
  insertMethod,
  sandboxMethod,
} from '../payment-links/payment-link-fixtures.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';

// Payment-link creation is the POST these tests lean on: it has a visible side effect to count.
const start = new Date('2026-11-26T12:00:00Z');
let app: TestApp;
let ada: TestMember;
let other: TestMember;
let link: Record<string, unknown>;
let disabledMethodId: string;

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  [ada, other] = await Promise.all([app.signUp('Acme'), app.signUp('Rival')]);
  const db = app.database.db;
  const contact = await insertContact(db, ada.workspaceId);
  link = {
    origin: 'contact',
    contactId: contact.id,
    description: 'Workshop seat',
    methodId: (await sandboxMethod(db, ada.workspaceId)).id,
    amount: '99.00',
    currency: 'EUR',
  };
  disabledMethodId = (
    await insertMethod(db, ada.workspaceId, { providerId: 'sandbox', displayName: 'Off', enabled: false })
  ).id;
});
afterAll(() => app.close());
beforeEach(() => app.clock.set(start));

const post = (key: string | undefined, body: unknown, member = ada, path = '/api/payment-links') =>
  app.request(path, {
    method: 'POST',
    headers: {
      ...member.headers,
      'content-type': 'application/json',
      ...(key === undefined ? {} : { 'idempotency-key': key }),
    },
    body: JSON.stringify(body),
  });

const links = () => countLinks(app.database.db, ada.workspaceId);

describe('Idempotency-Key', () => {
  it('answers a retry with the first response, marked as replayed, and creates one link', async () => {
    const before = await links();
    const first = await post('order-1', link);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const firstBody = await first.text();

    app.clock.set(new Date(start.getTime() + 3_600_000));
    const retry = await post('order-1', link);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(await retry.text()).toBe(firstBody);
    expect(await links()).toBe(before + 1);
  });

  it('refuses the same key with another body, or on another path, with a 409', async () => {
    await post('order-2', link);
    const before = await links();
    const changed = await post('order-2', { ...link, amount: '100.00' });
    expect(changed.status).toBe(409);
    expect(await changed.json()).toMatchObject({ code: 'idempotency_key_reused', field: 'Idempotency-Key' });
    const elsewhere = await post('order-2', link, ada, '/api/payment-links?x=1');
    expect(elsewhere.status).toBe(409);
    expect(await links()).toBe(before);
  });

  it('lets five concurrent identical requests create exactly one link', async () => {
    const before = await links();
    const responses = await Promise.all(Array.from({ length: 5 }, () => post('burst-1', link)));
    const outcomes = await Promise.all(
      responses.map(async (r) => ({
        status: r.status,
        replayed: r.headers.get('idempotent-replayed') === 'true',
        body: (await r.json()) as any,
      })),
    );
    expect(await links()).toBe(before + 1);
    const executed = outcomes.filter((o) => o.status === 201 && !o.replayed);
    expect(executed).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 201) expect(outcome.body.id).toBe(executed[0]!.body.id);
      else expect(outcome).toMatchObject({ status: 409, body: { code: 'idempotency_key_in_progress' } });
    }
  });

  it('keeps no refusal: after fixing the request, the same key can still create', async () => {
    const refused = await post('order-3', { ...link, methodId: disabledMethodId });
    expect(refused.status).toBe(422);
    const again = await post('order-3', { ...link, methodId: disabledMethodId });
    expect(again.status).toBe(422);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    const fixed = await post('order-3', link);
    expect(fixed.status).toBe(201);
  });

  it('forgets a key after 24 hours, to the second', async () => {
    await post('order-4', link);
    app.clock.set(new Date(start.getTime() + 24 * 3_600_000 - 1000));
    expect((await post('order-4', link)).headers.get('idempotent-replayed')).toBe('true');
    app.clock.set(new Date(start.getTime() + 24 * 3_600_000));
    const before = await links();
    const fresh = await post('order-4', { ...link, amount: '5.00' });
    expect(fresh.status).toBe(201);
    expect(fresh.headers.get('idempotent-replayed')).toBeNull();
    expect(await links()).toBe(before + 1);
  });

  it("is scoped to the workspace: another workspace's key of the same name is its own", async () => {
    await post('shared-name', link);
    const theirs = await post('shared-name', link, other);
    // Their request runs for real, and our contact is not theirs.
    expect(theirs.status).toBe(404);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
  });

  it('without a key, every request runs', async () => {
    const before = await links();
    await post(undefined, link);
    await post(undefined, link);
    expect(await links()).toBe(before + 2);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['not ASCII', 'cl\u00e9'],
  ])('refuses a key that is %s', async (_name, key) => {
    const before = await links();
    const response = await post(key, link);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      code: 'invalid_idempotency_key',
      field: 'Idempotency-Key',
    });
    expect(await links()).toBe(before);
  });

  it('accepts a 255-character key', async () => {
    expect((await post('k'.repeat(255), link)).status).toBe(201);
  });
});
