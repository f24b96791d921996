import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setAutomation, type WorkspaceFixture, workspaceFixture } from '../payments/payments-fixtures.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { dealPayment, paymentState, startSandboxCheckout } from '../webhooks/webhook-fixtures.js';

type Json = any;

let app: TestApp;
let owner: TestMember;
let pager: TestMember;
let w: WorkspaceFixture;

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Sync');
  // A workspace of its own, so the paging test knows every row there is.
  pager = await app.signUp('Sync pager');
  w = await workspaceFixture(app.database.db, owner.workspaceId);
  await setAutomation(app.database.db, w, 'returned', 'Lost');
});
afterAll(() => app.close());
afterEach(async () => {
  app.sandbox.webhooks.release();
  await app.sandbox.webhooks.idle();
});

const longAgo = '2020-01-01T00:00:00.000Z';

async function page(member: TestMember, path: string, query: Record<string, string>) {
  const response = await app.call(member, 'GET', `${path}?${new URLSearchParams(query)}`);
  expect(response.status).toBe(200);
  return (await response.json()) as { items: Json[]; nextCursor: string | null };
}

/** Pulls every page from `start` on, as a sync client does; returns what it saw and where it stopped. */
async function pullAll(member: TestMember, path: string, start: Record<string, string>, limit = 50) {
  const seen: Json[] = [];
  let query = start;
  for (;;) {
    const { items, nextCursor } = await page(member, path, { ...query, limit: String(limit) });
    seen.push(...items);
    expect(nextCursor).toEqual(expect.any(String));
    query = { cursor: nextCursor! };
    if (items.length < limit) return { seen, cursor: nextCursor! };
  }
}

describe('GET ?updatedSince= (incremental sync)', () => {
  it('sees a refunded payment once more, Returned, and then nothing', async () => {
    const { payment } = await dealPayment(app, w);
    await startSandboxCheckout(app, w, payment);
    await app.sandbox.webhooks.idle();
    expect((await paymentState(app.database.db, payment.id, w.methodId)).payment.status).toBe('complete');

    const before = await pullAll(owner, '/api/payments', { updatedSince: longAgo });
    expect(before.seen.filter((p) => p.id === payment.id).map((p) => p.status)).toEqual(['complete']);

    // The test clock stands still: the refund happens in the same millisecond as the payment's success.
    const refunded = await app.call(owner, 'POST', `/api/payments/${payment.id}/refunds`);
    expect(refunded.status).toBe(200);
    await app.sandbox.webhooks.idle();

    const after = await pullAll(owner, '/api/payments', { cursor: before.cursor });
    expect(after.seen.map((p) => [p.id, p.status])).toEqual([[payment.id, 'returned']]);
    expect(after.seen[0].updatedAt > before.seen.find((p) => p.id === payment.id).updatedAt).toBe(true);
    // The stage automation moved the deal in the same change: the deal sync sees it too.
    const deals = await pullAll(owner, '/api/deals', { updatedSince: after.seen[0].updatedAt });
    expect(deals.seen.map((d) => [d.id, d.stageId])).toEqual([[payment.dealId, w.stages.Lost]]);

    expect((await pullAll(owner, '/api/payments', { cursor: after.cursor })).seen).toEqual([]);
  });

  it('pages while rows change and sees every change exactly once', async () => {
    const names = ['A', 'B', 'C', 'D', 'E'];
    const created: Json[] = [];
    for (const name of names) {
      const response = await app.call(pager, 'POST', '/api/contacts', { name });
      created.push(await response.json());
    }
    // All five share one updatedAt (the clock stands still): the id breaks the tie.
    const order = [...created].sort((a, b) => (a.id < b.id ? -1 : 1));
    const first = await page(pager, '/api/contacts', { updatedSince: longAgo, limit: '2' });
    expect(first.items.map((c) => c.id)).toEqual(order.slice(0, 2).map((c) => c.id));

    // One row already read and one not yet read change while the client pages.
    const readBefore = order[0];
    const notYetRead = order[4];
    for (const contact of [readBefore, notYetRead]) {
      const patched = await app.call(pager, 'PATCH', `/api/contacts/${contact.id}`, {
        name: `${contact.name}!`,
      });
      expect(patched.status).toBe(200);
    }
    const rest = await pullAll(pager, '/api/contacts', { cursor: first.nextCursor! }, 2);
    const seen = [...first.items, ...rest.seen].map((c) => `${c.name}@${c.updatedAt}`);

    const t0 = created[0].updatedAt;
    const bumped = new Date(new Date(t0).getTime() + 1).toISOString();
    expect(seen).toEqual([
      `${order[0].name}@${t0}`,
      `${order[1].name}@${t0}`,
      `${order[2].name}@${t0}`,
      `${order[3].name}@${t0}`,
      // The changed rows come once more, at their new place (by id again: they share the new time);
      // the old version of the unread one never.
      `${readBefore.name}!@${bumped}`,
      `${notYetRead.name}!@${bumped}`,
    ]);
    expect(new Set(seen).size).toBe(seen.length);
    // Caught up: the stored cursor answers nothing new, and keeps its place.
    const again = await page(pager, '/api/contacts', { cursor: rest.cursor });
    expect(again).toEqual({ items: [], nextCursor: rest.cursor });
  });

  it('refuses a garbage cursor or time, and a newest-first cursor with updatedSince, on every list', async () => {
    const newest = await page(pager, '/api/contacts', { limit: '1' });
    const refusals: [Record<string, string>, string, string][] = [
      [{ updatedSince: longAgo, cursor: 'garbage' }, 'cursor', 'invalid_cursor'],
      [{ updatedSince: longAgo, cursor: newest.nextCursor! }, 'cursor', 'invalid_cursor'],
      [{ cursor: Buffer.from('["u","yesterday","x"]').toString('base64url') }, 'cursor', 'invalid_cursor'],
      [{ updatedSince: 'yesterday' }, 'updatedSince', 'validation_failed'],
    ];
    for (const path of ['/api/contacts', '/api/deals', '/api/payment-links', '/api/payments']) {
      for (const [query, field, code] of refusals) {
        const response = await app.call(pager, 'GET', `${path}?${new URLSearchParams(query)}`);
        expect(response.status, `${path} ${JSON.stringify(query)}`).toBe(422);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(await response.json()).toMatchObject({ field, code });
      }
    }
  });
});
