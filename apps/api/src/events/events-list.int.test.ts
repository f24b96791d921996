import { events } from '@paylinks/db';
import { openTestDatabase, testDriver } from '@paylinks/db/testing';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callWithKey, createApiKey } from '../auth/api-key-fixtures.js';
import { sweepOldEvents } from '../jobs/events-retention-sweep.js';
import { insertClickThroughPayment } from '../public-pay/click-through-insert.js';
import type { PublicLink } from '../public-pay/public-link.js';
import {
  type CrmFixture,
  createLink,
  crmFixture,
  nextMinute,
  openLink,
} from '../public-pay/public-pay-fixtures.js';
import { type TestApp, type TestMember, testApp, testClock } from '../testing/test-app.js';
import { EVENT_RETENTION_MS } from './event-retention.js';

type Json = any;

let app: TestApp;
let ada: TestMember;
let bob: TestMember;
let crm: CrmFixture;
let readKey: string;

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  [ada, bob] = await Promise.all([app.signUp('Events list'), app.signUp('Other tenant')]);
  crm = await crmFixture(app, ada);
  readKey = (await createApiKey(app, ada, 'events reader', { scope: 'read' })).key;
  // Events of ada's workspace: links created and opened, one deleted.
  for (const _ of [0, 1, 2]) {
    const link = await createLink(app, ada, crm, { origin: 'contact' });
    expect((await openLink(app, link.token)).response.status).toBe(200);
    nextMinute(app);
  }
  const gone = await createLink(app, ada, crm, { origin: 'contact' });
  expect((await app.call(ada, 'DELETE', `/api/payment-links/${gone.id}`)).status).toBe(200);
  // And one of bob's, which ada must never see.
  const bobs = await crmFixture(app, bob);
  await createLink(app, bob, bobs, { origin: 'contact' });
});
afterAll(() => app.close());
beforeEach(() => nextMinute(app));

const list = (query: string) => callWithKey(app, readKey, 'GET', `/api/events${query}`);

async function ownEventIds(workspaceId: string) {
  const rows = await app.database.db
    .select({ id: events.id })
    .from(events)
    .where(eq(events.workspaceId, workspaceId))
    .orderBy(asc(events.sequence));
  return rows.map((row) => row.id);
}

/** Every page from `query`, following nextCursor while hasMore. */
async function walk(query: string) {
  const seen: Json[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const response = await list(`${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Json;
    seen.push(...body.items);
    cursor = body.nextCursor;
    if (!body.hasMore) return { seen, cursor };
  }
  throw new Error('the list never ended');
}

describe('GET /api/events', () => {
  it("pages through the workspace's events exactly once, in order, with a read-only API key", async () => {
    const { seen } = await walk('?limit=3');
    expect(seen.map((event: Json) => event.id)).toEqual(await ownEventIds(ada.workspaceId));
    expect(seen).toHaveLength(3 * 2 + 2);
    expect(Object.keys(seen[0]).sort()).toEqual(['createdAt', 'data', 'id', 'type']);
    const opened = ['link.created', 'payment.created'];
    expect(seen.map((event: Json) => event.type)).toEqual([
      ...opened,
      ...opened,
      ...opened,
      'link.created',
      'link.deleted',
    ]);
  });

  it("never shows another workspace's events, also not to a cursor pointing at one", async () => {
    const bobsIds = await ownEventIds(bob.workspaceId);
    expect(bobsIds).toHaveLength(1);
    const { seen } = await walk('?limit=100');
    expect(seen.map((event: Json) => event.id)).not.toContain(bobsIds[0]);
    const bobsView = (await (await app.call(bob, 'GET', '/api/events')).json()) as Json;
    expect(bobsView.items.map((event: Json) => event.id)).toEqual(bobsIds);
  });

  it('continues from the end of the list with only what happened since', async () => {
    const { cursor } = await walk('?limit=100');
    const link = await createLink(app, ada, crm, { origin: 'contact' });
    const next = (await (await list(`?cursor=${cursor}`)).json()) as Json;
    expect(next.items.map((event: Json) => [event.type, event.data.link.id])).toEqual([
      ['link.created', link.id],
    ]);
    expect(next.hasMore).toBe(false);
  });

  it('filters by type and by time', async () => {
    const deleted = (await (await list('?type=link.deleted')).json()) as Json;
    expect(deleted.items.map((event: Json) => event.type)).toEqual(['link.deleted']);
    const all = (await walk('?limit=100')).seen;
    const from = all[4].createdAt;
    const since = (await walk(`?limit=100&since=${encodeURIComponent(from)}`)).seen;
    expect(since.map((event: Json) => event.id)).toEqual(
      all.filter((event: Json) => event.createdAt >= from).map((event: Json) => event.id),
    );
    expect(since.length).toBeLessThan(all.length);
  });

  it('refuses a bad cursor, type, time or limit as problem+json naming the field', async () => {
    for (const [query, field] of [
      ['?cursor=not-a-cursor', 'cursor'],
      ['?type=payment.exploded', 'type'],
      ['?since=yesterday', 'since'],
      ['?limit=0', 'limit'],
    ] as const) {
      const response = await list(query);
      expect(response.status, query).toBe(422);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(((await response.json()) as Json).field, query).toBe(field);
    }
  });
});

describe('GET /api/events while events are being written', () => {
  it('never passes an event whose transaction commits after a later one', async () => {
    const { cursor } = await walk('?limit=100');
    const link = await createLink(app, ada, crm, { origin: 'contact' });
    const opened = {
      id: link.id,
      workspaceId: ada.workspaceId,
      origin: 'contact',
      dealId: null,
    } as PublicLink;
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let slowWritten = () => {};
    const written = new Promise<void>((resolve) => {
      slowWritten = resolve;
    });
    // A slow transaction: its event gets its sequence first and commits last.
    const slow = app.database.db.transaction(async (tx) => {
      await insertClickThroughPayment(tx, opened, {
        now: app.clock.now(),
        visitorKey: 'slow',
        userAgent: null,
      });
      slowWritten();
      await held;
    });
    await written;
    const later = createLink(app, ada, crm, { origin: 'contact' });
    if (testDriver() === 'postgres') {
      // Wait until the later write queues behind the slow one, then read the list meanwhile.
      for (let tries = 0; tries < 200; tries++) {
        const [waiting] = await selectWaiting();
        if (waiting!.count > 0) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const meanwhile = (await (await list(`?cursor=${cursor}&limit=100`)).json()) as Json;
      const seen = new Set(meanwhile.items.map((event: Json) => event.id));
      release();
      await Promise.all([slow, later]);
      const rest = (await (await list(`?cursor=${meanwhile.nextCursor}&limit=100`)).json()) as Json;
      for (const event of rest.items) seen.add(event.id);
      const since = await ownEventIds(ada.workspaceId);
      expect(since.slice(-3).every((id) => seen.has(id))).toBe(true);
    } else {
      release();
      await Promise.all([slow, later]);
    }
    const after = (await (await list(`?cursor=${cursor}&limit=100`)).json()) as Json;
    expect(after.items.map((event: Json) => event.type)).toEqual([
      'link.created',
      'payment.created',
      'link.created',
    ]);
  });
});

/** Sessions waiting for an advisory lock (PostgreSQL only): the later write queued behind the slow one. */
function selectWaiting() {
  return app.database.db.execute(
    sql`select count(*)::int as count from pg_locks where locktype = 'advisory' and not granted`,
  ) as unknown as Promise<{ count: number }[]>;
}

describe('retention', () => {
  it('sweeps events older than 30 days and keeps the rest', async () => {
    const before = await ownEventIds(ada.workspaceId);
    const link = await createLink(app, ada, crm, { origin: 'contact' });
    const newest = await ownEventIds(ada.workspaceId);
    // A sweep a moment past the first events' 30 days, but before the newest link's.
    const [first] = await app.database.db.select().from(events).where(eq(events.id, before[0]!));
    const sweptAt = new Date(first!.createdAt.getTime() + EVENT_RETENTION_MS + 1000);
    expect(sweptAt.getTime()).toBeLessThan(app.clock.now().getTime() + EVENT_RETENTION_MS);
    await sweepOldEvents({ db: app.database.db, clock: testClock(sweptAt), logger: app.logger });
    const left = await ownEventIds(ada.workspaceId);
    expect(left).not.toContain(before[0]);
    expect(left).toContain(newest.at(-1));
    const listed = (await walk('?limit=100')).seen;
    expect(listed.map((event: Json) => event.id)).toEqual(left);
    expect(listed.at(-1).data.link.id).toBe(link.id);
  });
});
