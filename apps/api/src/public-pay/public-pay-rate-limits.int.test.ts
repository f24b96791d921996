import { openTestDatabase, type TestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrustProxy } from '../http/client-address.js';
import { defaultRequestLimits, type PublicPayLimits, type RequestLimits } from '../http/request-limits.js';
import { type TestApp, testApp, testPublicUrl } from '../testing/test-app.js';
import { chrome } from './public-pay-fixtures.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

// Every test counts in its own minute of the shared database, so no test inherits another's hits.
let minute = 0;

/** A fresh instance of the app on the shared database, with these limits, at this test's minute. */
function instance(limits: { publicPay?: Partial<PublicPayLimits>; trustProxy?: string } = {}) {
  const trust = parseTrustProxy(limits.trustProxy);
  if (!trust.ok) throw new Error(trust.error);
  const full: RequestLimits = {
    ...defaultRequestLimits,
    trustProxy: trust.value,
    publicPay: { ...defaultRequestLimits.publicPay, ...limits.publicPay },
  };
  const app = testApp(database, { config: { publicUrl: testPublicUrl, limits: full } });
  app.clock.set(new Date(Date.UTC(2026, 10, 26, 12, minute)));
  return app;
}

function nextTest() {
  minute += 1;
}

/** Opens an unknown link (404 until limited) as the client at `peer`, optionally through a proxy. */
async function view(app: TestApp, peer: string, forwardedFor?: string) {
  const response = await app.app.request(
    '/api/pay/not-a-token',
    { headers: { 'user-agent': chrome, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) } },
    { clientAddress: peer },
  );
  return response;
}

async function statuses(app: TestApp, n: number, peer: string, forwardedFor?: (i: number) => string) {
  const answers: number[] = [];
  for (let i = 0; i < n; i++) answers.push((await view(app, peer, forwardedFor?.(i))).status);
  return answers;
}

const times = (n: number, status: number) => Array<number>(n).fill(status);

describe('public payment page limits', () => {
  it('are one limit for two instances of the app on one database', async () => {
    nextTest();
    const [a, b] = [
      instance({ publicPay: { viewPerMinute: 5 } }),
      instance({ publicPay: { viewPerMinute: 5 } }),
    ];
    expect(await statuses(a!, 3, '198.51.100.7')).toEqual(times(3, 404));
    expect(await statuses(b!, 2, '198.51.100.7')).toEqual(times(2, 404));
    const refused = await view(a!, '198.51.100.7');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(await refused.json()).toMatchObject({ code: 'rate_limited' });
    expect((await view(b!, '198.51.100.7')).status).toBe(429);
    // Another client is not held back by this one.
    expect((await view(b!, '198.51.100.8')).status).toBe(404);
  });

  it('ignore X-Forwarded-For without PAYLINKS_TRUST_PROXY: a fresh header per request is still one client', async () => {
    nextTest();
    const app = instance({ publicPay: { viewPerMinute: 5 } });
    expect(await statuses(app, 7, '198.51.100.7', (i) => `203.0.113.${i + 1}`)).toEqual([
      ...times(5, 404),
      429,
      429,
    ]);
  });

  it('with a hop count, count the client the proxy forwarded, not the proxy', async () => {
    nextTest();
    const app = instance({ publicPay: { viewPerMinute: 5 }, trustProxy: '1' });
    expect(await statuses(app, 6, '10.0.0.2', () => 'spoofed, 203.0.113.1')).toEqual([...times(5, 404), 429]);
    // Another payer behind the same proxy has a bucket of its own.
    expect((await view(app, '10.0.0.2', '203.0.113.2')).status).toBe(404);
  });

  it('count IPv6 clients per /64', async () => {
    nextTest();
    const app = instance({ publicPay: { viewPerMinute: 4 } });
    expect(await statuses(app, 4, '2001:db8:1:2::1')).toEqual(times(4, 404));
    expect((await view(app, '2001:db8:1:2:ffff:ffff:ffff:fffe')).status).toBe(429);
    expect((await view(app, '2001:db8:1:3::1')).status).toBe(404);
  });

  it('are configuration: a busy shop can raise them', async () => {
    nextTest();
    const app = instance({ publicPay: { viewPerMinute: 100 } });
    expect(await statuses(app, 101, '198.51.100.7')).toEqual([...times(100, 404), 429]);
  });

  it("limit a payer page's branding and logo on a budget of their own, the size of the view budget", async () => {
    nextTest();
    const app = instance({ publicPay: { viewPerMinute: 2 } });
    const get = (path: string) => app.app.request(path, {}, { clientAddress: '198.51.100.7' });
    const branding = '/api/branding/pay/not-a-token';
    const logo = `/api/branding/logo/00000000-0000-4000-8000-000000000000/${'a'.repeat(64)}`;
    expect([(await get(branding)).status, (await get(logo)).status]).toEqual([404, 404]);
    const refused = await get(branding);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect((await get(logo)).status).toBe(429);
    // The page view itself still has its own two.
    expect(await statuses(app, 2, '198.51.100.7')).toEqual(times(2, 404));
  });

  it('limit checkout and the status page on their own configured budgets', async () => {
    nextTest();
    const app = instance({ publicPay: { checkoutPerMinute: 2, statusPerMinute: 3 } });
    const checkout = () =>
      app.app.request(
        '/api/pay/not-a-token/checkout',
        { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': chrome }, body: '{}' },
        { clientAddress: '198.51.100.7' },
      );
    const status = () =>
      app.app.request('/api/pay/not-a-token/status?payment=nope', {}, { clientAddress: '198.51.100.7' });
    const checkouts = [await checkout(), await checkout(), await checkout()];
    expect(checkouts.map((r) => r.status === 429)).toEqual([false, false, true]);
    expect(checkouts[2]!.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    const polls = [await status(), await status(), await status(), await status()];
    expect(polls.map((r) => r.status === 429)).toEqual([false, false, false, true]);
    // The page view has a budget of its own, untouched by the two above.
    expect((await view(app, '198.51.100.7')).status).toBe(404);
  });
});
