import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';

let app: TestApp;
let owner: TestMember;
let searcher: TestMember;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Paging Ltd');
  searcher = await app.signUp('Search Ltd');
  for (const body of [
    { name: 'Ada Lovelace', email: 'ada@analytical.example', phone: '+31612345678' },
    { name: 'Grace Hopper', email: 'grace@navy.example', phone: '+14155552671' },
    { name: '50% Discount Dave', email: 'dave@shop.example' },
    { name: 'Under_Score', email: 'under@score.example' },
    { name: 'Plain Percy', email: 'percy@plain.example' },
  ]) {
    const response = await app.call(searcher, 'POST', '/api/contacts', body);
    if (response.status !== 201) throw new Error(`seed failed: ${await response.text()}`);
  }
});
afterAll(() => app.close());

async function list(member: TestMember, query: string) {
  const response = await app.call(member, 'GET', `/api/contacts${query}`);
  expect(response.status).toBe(200);
  const body: any = await response.json();
  return body as { items: { id: string; name: string }[]; nextCursor: string | null };
}

const names = (page: { items: { name: string }[] }) => page.items.map((c) => c.name).sort();

describe('search', () => {
  it.each([
    ['lovelace', ['Ada Lovelace']],
    ['ADA', ['Ada Lovelace']],
    ['navy.example', ['Grace Hopper']],
    ['@', ['50% Discount Dave', 'Ada Lovelace', 'Grace Hopper', 'Plain Percy', 'Under_Score']],
    ['+31 6 1234', ['Ada Lovelace']],
    ['06 12345678', ['Ada Lovelace']],
    ['415 555', ['Grace Hopper']],
    ['nobody', []],
    ['2671x', []],
  ])('q=%s finds %o', async (q, expected) => {
    expect(names(await list(searcher, `?q=${encodeURIComponent(q)}`))).toEqual(expected);
  });

  it('treats % and _ in the query as plain characters, not wildcards', async () => {
    expect(names(await list(searcher, `?q=${encodeURIComponent('50%')}`))).toEqual(['50% Discount Dave']);
    expect(names(await list(searcher, `?q=${encodeURIComponent('%')}`))).toEqual(['50% Discount Dave']);
    expect(names(await list(searcher, `?q=${encodeURIComponent('_')}`))).toEqual(['Under_Score']);
    expect(names(await list(searcher, `?q=${encodeURIComponent('a_a')}`))).toEqual([]);
    expect(names(await list(searcher, `?q=${encodeURIComponent('a%e')}`))).toEqual([]);
  });

  it('lists everything for an empty or blank q', async () => {
    expect((await list(searcher, '?q=')).items).toHaveLength(5);
    expect((await list(searcher, '?q=%20%20')).items).toHaveLength(5);
  });

  it('refuses a huge q, a bad limit and a forged cursor with 422', async () => {
    for (const [query, field] of [
      [`?q=${'a'.repeat(201)}`, 'q'],
      ['?q=ada%00', 'q'],
      ['?q=a&q=b', 'q'],
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?limit=ten', 'limit'],
      ['?cursor=garbage', 'cursor'],
      [`?cursor=${Buffer.from('["yesterday","x"]').toString('base64url')}`, 'cursor'],
    ]) {
      const response = await app.call(searcher, 'GET', `/api/contacts${query}`);
      expect(response.status, query).toBe(422);
      expect(await response.json()).toMatchObject({ field });
    }
  });
});

describe('keyset pagination', () => {
  it('walks more than one page newest first, with no duplicates or gaps, also when rows share a timestamp', async () => {
    const created: string[] = [];
    // Three contacts per instant, so the id has to break ties between equal created_at values.
    for (let i = 0; i < 12; i++) {
      app.clock.set(new Date(Date.UTC(2026, 10, 26, 12, Math.floor(i / 3))));
      const response = await app.call(owner, 'POST', '/api/contacts', { name: `Person ${i}` });
      const body: any = await response.json();
      created.push(body.id);
    }

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(owner, `?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
      pages += 1;
      // A contact added while paging is newer than the cursor and must not shift later pages.
      if (pages === 1) {
        app.clock.set(new Date('2026-11-26T13:00:00Z'));
        await app.call(owner, 'POST', '/api/contacts', { name: 'Latecomer' });
      }
    } while (cursor !== null && pages < 10);
    app.clock.set(new Date('2026-11-26T12:00:00Z'));

    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual([...created].sort());

    const all = await list(owner, '?limit=100');
    const stamps = all.items.map((c: any) => `${c.createdAt}|${c.id}`);
    expect(stamps).toEqual([...stamps].sort().reverse());
    expect(all.items[0]!.name).toBe('Latecomer');
    expect(names({ items: all.items.slice(1, 4) })).toEqual(['Person 10', 'Person 11', 'Person 9']);
  });

  it('says there is no next page when the last page is exactly full', async () => {
    const page = await list(searcher, '?limit=5');
    expect(page.items).toHaveLength(5);
    expect(page.nextCursor).toBeNull();
  });

  it('pages through search results too', async () => {
    const first = await list(owner, '?q=person&limit=10');
    expect(first.items).toHaveLength(10);
    const second = await list(owner, `?q=person&limit=10&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
  });
});
