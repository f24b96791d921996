import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertContact, workspaceFixture } from '../payments/payments-fixtures.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { pipelinesOf } from './deal-fixtures.js';

let app: TestApp;
let owner: TestMember;
let stranger: TestMember;
let ada: string;
let grace: string;
let sales: any;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Acme');
  stranger = await app.signUp('Other Co');
  const { db } = app.database;
  const w = await workspaceFixture(db, owner.workspaceId);
  ada = (await insertContact(db, w, 'Ada')).id;
  grace = (await insertContact(db, w, 'Grace')).id;
  [sales] = await pipelinesOf(app, owner);
  // Seven deals a minute apart: odd ones for Ada in "New", even ones for Grace in "Won".
  for (let n = 1; n <= 7; n++) {
    app.clock.set(new Date(Date.UTC(2026, 10, 26, 12, n)));
    const odd = n % 2 === 1;
    await app.call(owner, 'POST', '/api/deals', {
      title: `deal ${n}`,
      contactId: odd ? ada : grace,
      stageId: sales.stages[odd ? 0 : 2].id,
    });
  }
  // Same creation time as deal 7: the id breaks the tie, so paging still sees each deal once.
  await app.call(owner, 'POST', '/api/deals', { title: 'deal 7b', contactId: ada });
  const theirContact = (
    await insertContact(db, await workspaceFixture(db, stranger.workspaceId), 'Not yours')
  ).id;
  await app.call(stranger, 'POST', '/api/deals', { title: 'their deal', contactId: theirContact });
});
afterAll(() => app.close());

async function list(query: string) {
  const response = await app.call(owner, 'GET', `/api/deals?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as { items: any[]; nextCursor: string | null };
}

async function allPages(query: string) {
  const titles: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await list(`${query}${cursor ? `&cursor=${cursor}` : ''}`);
    titles.push(...page.items.map((d) => d.title));
    cursor = page.nextCursor;
  } while (cursor);
  return titles;
}

describe('listing deals', () => {
  it("lists only this workspace's deals, newest first, every deal exactly once across pages", async () => {
    const titles = await allPages('limit=3');
    expect(titles).toHaveLength(8);
    expect(new Set(titles).size).toBe(8);
    expect(titles.slice(2)).toEqual(['deal 6', 'deal 5', 'deal 4', 'deal 3', 'deal 2', 'deal 1']);
    expect(titles.slice(0, 2).sort()).toEqual(['deal 7', 'deal 7b']);
    expect(titles).not.toContain('their deal');
  });

  it('filters by pipeline, stage and contact', async () => {
    expect(await allPages(`stageId=${sales.stages[2].id}`)).toEqual(['deal 6', 'deal 4', 'deal 2']);
    expect((await allPages(`contactId=${grace}`)).length).toBe(3);
    expect(await allPages(`contactId=${ada}&stageId=${sales.stages[2].id}`)).toEqual([]);
    expect((await allPages(`pipelineId=${sales.id}&limit=100`)).length).toBe(8);
  });

  it("finds nothing through another workspace's ids", async () => {
    const [theirs] = await pipelinesOf(app, stranger);
    expect((await list(`pipelineId=${theirs.id}`)).items).toEqual([]);
    expect((await list(`stageId=${theirs.stages[0].id}`)).items).toEqual([]);
  });

  it('refuses bad limits, bad ids and forged cursors with 422', async () => {
    for (const query of [
      'limit=0',
      'limit=101',
      'limit=ten',
      'pipelineId=abc',
      'contactId=1',
      'cursor=garbage',
      `cursor=${'x'.repeat(500)}`,
    ]) {
      const response = await app.call(owner, 'GET', `/api/deals?${query}`);
      expect(response.status, query).toBe(422);
    }
  });
});
