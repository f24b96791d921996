import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { createApiKey, rateLimitHeaders, withKey } from './api-key-fixtures.js';

let app: TestApp;
let owner: TestMember;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Acme');
});
afterAll(() => app.close());

const at = (iso: string) => new Date(iso);
const plus = (time: Date, ms: number) => new Date(time.getTime() + ms);

describe('an API key is limited per minute (PAYLINKS_API_KEY_RATE_LIMIT, default 600)', () => {
  it('serves a client steadily at 480 requests a minute for three minutes without one 429', async () => {
    const { key } = await createApiKey(app, owner, 'steady');
    // Mid-minute, so the run crosses window boundaries at an arbitrary point of its rhythm.
    const start = at('2026-11-26T13:00:37.500Z');
    const statuses = new Map<number, number>();
    let last: Response | undefined;
    for (let i = 0; i < 3 * 480; i++) {
      app.clock.set(plus(start, i * 125));
      last = await withKey(app, key);
      statuses.set(last.status, (statuses.get(last.status) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 200: 3 * 480 });
    // The last request, at 13:03:37.375, is the 300th of its minute.
    expect(rateLimitHeaders(last!)).toEqual({ limit: 600, remaining: 300, reset: 23, retryAfter: null });
  });

  it('refuses the 601st request within one minute with 429 and Retry-After, and serves again when the window frees', async () => {
    const { key } = await createApiKey(app, owner, 'bursty');
    const start = at('2026-11-26T14:00:15Z');
    app.clock.set(start);
    const answers: { status: number; remaining: number | null }[] = [];
    for (let i = 1; i <= 600; i++) {
      app.clock.set(plus(start, i * 50)); // 600 requests in 30 s
      const response = await withKey(app, key);
      answers.push({ status: response.status, remaining: rateLimitHeaders(response).remaining });
    }
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(answers.map((a) => a.remaining)).toEqual(answers.map((_, i) => 599 - i));
    app.clock.set(at('2026-11-26T14:00:45.200Z'));
    const refused = await withKey(app, key);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(await refused.json()).toMatchObject({ status: 429, code: 'rate_limited' });
    // The window is the minute 14:00; it frees at 14:01:00, 14.8 s later.
    expect(rateLimitHeaders(refused)).toEqual({ limit: 600, remaining: 0, reset: 15, retryAfter: 15 });

    app.clock.set(at('2026-11-26T14:00:59.900Z'));
    expect((await withKey(app, key)).status).toBe(429);
    app.clock.set(at('2026-11-26T14:01:00Z'));
    const again = await withKey(app, key);
    expect(again.status).toBe(200);
    expect(rateLimitHeaders(again)).toMatchObject({ limit: 600, remaining: 599, retryAfter: null });
  });

  it('limits each key on its own', async () => {
    const busy = await createApiKey(app, owner, 'busy');
    const quiet = await createApiKey(app, owner, 'quiet');
    app.clock.set(at('2026-11-26T15:00:00Z'));
    for (let i = 0; i < 600; i++) await withKey(app, busy.key);
    expect((await withKey(app, busy.key)).status).toBe(429);
    const other = await withKey(app, quiet.key);
    expect(other.status).toBe(200);
    expect(rateLimitHeaders(other).remaining).toBe(599);
  });

  it('is one window for every instance on the database', async () => {
    const second = testApp(app.database);
    const { key } = await createApiKey(app, owner, 'two instances');
    const time = at('2026-11-26T16:00:10Z');
    app.clock.set(time);
    second.clock.set(time);
    const answers: { status: number; remaining: number | null }[] = [];
    for (let i = 1; i <= 600; i++) {
      const response = await withKey(i % 2 === 0 ? app : second, key);
      answers.push({ status: response.status, remaining: rateLimitHeaders(response).remaining });
    }
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    // Each instance's answers count the other's requests too.
    expect(answers.map((a) => a.remaining)).toEqual(answers.map((_, i) => 599 - i));
    for (const instance of [app, second]) {
      const refused = await withKey(instance, key);
      expect(refused.status).toBe(429);
      expect(rateLimitHeaders(refused).retryAfter).toBe(50);
    }
  });

  it('takes its limit from the configuration', async () => {
    const strict = testApp(app.database, { config: { apiKeyRequestsPerMinute: 3 } });
    const { key } = await createApiKey(app, owner, 'strict');
    strict.clock.set(at('2026-11-26T17:00:00Z'));
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await withKey(strict, key)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await withKey(strict, key);
    expect(rateLimitHeaders(refused)).toEqual({ limit: 3, remaining: 0, reset: 60, retryAfter: 60 });
  });
});
