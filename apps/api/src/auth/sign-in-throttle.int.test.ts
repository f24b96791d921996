import { rateLimitHits } from '@paylinks/db';
import { openTestDatabase, type TestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrustProxy } from '../http/client-address.js';
import { defaultRequestLimits, type SignInLimits } from '../http/request-limits.js';
import { type TestApp, type TestMember, testApp, testOrigin, testPublicUrl } from '../testing/test-app.js';

const password = 'correct horse battery staple';
let database: TestDatabase;
// Every test counts in its own quarter-hour window of the shared database.
let window = 0;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

/** An instance of the app on the shared database; holds are a few milliseconds so tests stay quick. */
function instance(options: { signIn?: Partial<SignInLimits>; trustProxy?: string } = {}) {
  const trust = parseTrustProxy(options.trustProxy);
  if (!trust.ok) throw new Error(trust.error);
  const app = testApp(database, {
    config: {
      publicUrl: testPublicUrl,
      limits: {
        ...defaultRequestLimits,
        trustProxy: trust.value,
        signIn: { ...defaultRequestLimits.signIn, delayMs: 2, maxDelayMs: 10, ...options.signIn },
      },
    },
  });
  app.clock.set(new Date(Date.UTC(2026, 10, 26, 12) + window * defaultRequestLimits.signIn.windowMs));
  return app;
}

async function freshOwner(): Promise<{ app: TestApp; owner: TestMember }> {
  window += 1;
  const app = instance();
  return { app, owner: await app.signUp() };
}

/** A sign-in from the client at `peer` (the socket), optionally through a proxy. */
function signIn(app: TestApp, email: string, secret: string, from: { peer: string; forwardedFor?: string }) {
  return app.app.request(
    '/api/auth/sign-in/email',
    {
      method: 'POST',
      headers: {
        origin: testOrigin,
        'content-type': 'application/json',
        ...(from.forwardedFor ? { 'x-forwarded-for': from.forwardedFor } : {}),
      },
      body: JSON.stringify({ email, password: secret }),
    },
    { clientAddress: from.peer },
  );
}

async function guesses(
  app: TestApp,
  email: string,
  n: number,
  from: (i: number) => { peer: string; forwardedFor?: string },
) {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await signIn(app, email, `wrong guess ${i}`, from(i))).status);
  return statuses;
}

const times = (n: number, status: number) => Array<number>(n).fill(status);

describe('sign-in throttling', () => {
  it('throttles 20 guesses sent with a fresh X-Forwarded-For each when no proxy is trusted', async () => {
    const { app, owner } = await freshOwner();
    const statuses = await guesses(app, owner.email, 20, (i) => ({
      peer: '198.51.100.7',
      forwardedFor: `203.0.113.${i + 1}`,
    }));
    expect(statuses).toEqual([...times(5, 401), ...times(15, 429)]);
    const refused = await signIn(app, owner.email, 'one more', { peer: '198.51.100.7' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ code: 'too_many_attempts' });
    // Refused even with the right password: the guesser cannot tell it found it.
    expect((await signIn(app, owner.email, password, { peer: '198.51.100.7' })).status).toBe(429);
  });

  it('with a trusted proxy (one hop) tells clients apart by X-Forwarded-For', async () => {
    window += 1;
    const app = instance({ trustProxy: '1' });
    const owner = await app.signUp();
    const attacker = { peer: '10.0.0.2', forwardedFor: 'spoofed, 203.0.113.66' };
    expect(await guesses(app, owner.email, 6, () => attacker)).toEqual([...times(5, 401), 429]);
    // The owner behind the same proxy is another client.
    expect(
      (await signIn(app, owner.email, password, { peer: '10.0.0.2', forwardedFor: '198.51.100.20' })).status,
    ).toBe(200);
  });

  it("still lets the owner in from another address after an attacker's 20 failures, and keeps the attacker out", async () => {
    const { app, owner } = await freshOwner();
    const attacker = { peer: '203.0.113.66' };
    expect(await guesses(app, owner.email, 20, () => attacker)).toEqual([
      ...times(5, 401),
      ...times(15, 429),
    ]);
    expect((await signIn(app, owner.email, password, { peer: '198.51.100.20' })).status).toBe(200);
    // The owner's success cleared nothing the attacker ran up.
    expect((await signIn(app, owner.email, 'guess again', attacker)).status).toBe(429);
  });

  it('never locks the account itself: 20 failures from 20 addresses leave the owner able to sign in', async () => {
    window += 1;
    const app = instance({ trustProxy: '1' });
    const owner = await app.signUp();
    const statuses = await guesses(app, owner.email, 20, (i) => ({
      peer: '10.0.0.2',
      forwardedFor: `203.0.113.${i + 1}`,
    }));
    expect(statuses).toEqual(times(20, 401));
    expect(
      (await signIn(app, owner.email, password, { peer: '10.0.0.2', forwardedFor: '198.51.100.20' })).status,
    ).toBe(200);
  });

  it('stops one address that tries many accounts', async () => {
    window += 1;
    const app = instance();
    const statuses = await guesses(app, 'nobody@example.com', 1, () => ({ peer: '203.0.113.9' }));
    for (let i = 1; i < 20; i++) {
      statuses.push(
        (await signIn(app, `user${i}@example.com`, 'a wrong password', { peer: '203.0.113.9' })).status,
      );
    }
    expect(statuses).toEqual(times(20, 401));
    expect(
      (await signIn(app, 'user21@example.com', 'a wrong password', { peer: '203.0.113.9' })).status,
    ).toBe(429);
  });

  it('counts one limit for two instances of the app on one database', async () => {
    const { app: a, owner } = await freshOwner();
    const b = instance();
    const from = { peer: '203.0.113.66' };
    expect(await guesses(a, owner.email, 3, () => from)).toEqual(times(3, 401));
    expect(await guesses(b, owner.email, 2, () => from)).toEqual(times(2, 401));
    expect((await signIn(a, owner.email, 'sixth', from)).status).toBe(429);
    expect((await signIn(b, owner.email, 'seventh', from)).status).toBe(429);
  });

  it('counts an IPv6 client per /64, and the email whatever its case', async () => {
    const { app, owner } = await freshOwner();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const email = i % 2 === 0 ? owner.email.toUpperCase() : owner.email;
      statuses.push((await signIn(app, email, `wrong ${i}`, { peer: `2001:db8:7:7::${i + 1}` })).status);
    }
    expect(statuses).toEqual(times(5, 401));
    expect((await signIn(app, owner.email, password, { peer: '2001:db8:7:7:abcd::1' })).status).toBe(429);
    expect((await signIn(app, owner.email, password, { peer: '2001:db8:7:8::1' })).status).toBe(200);
  });

  it('starts again once the window has passed, and a raised limit is honoured', async () => {
    const { app, owner } = await freshOwner();
    const from = { peer: '203.0.113.66' };
    expect(await guesses(app, owner.email, 6, () => from)).toEqual([...times(5, 401), 429]);
    app.clock.set(new Date(app.clock.now().getTime() + defaultRequestLimits.signIn.windowMs));
    expect((await signIn(app, owner.email, password, from)).status).toBe(200);

    window += 1;
    const generous = instance({ signIn: { failuresPerAccountAddress: 10 } });
    const other = await generous.signUp();
    expect(await guesses(generous, other.email, 11, () => from)).toEqual([...times(10, 401), 429]);
  });

  it('keeps no email in the counters', async () => {
    const { app, owner } = await freshOwner();
    await signIn(app, owner.email, 'wrong', { peer: '203.0.113.66' });
    const buckets = (await database.db.select({ bucket: rateLimitHits.bucket }).from(rateLimitHits)).map(
      (r) => r.bucket,
    );
    expect(buckets.some((b) => b.startsWith('signin:acct:'))).toBe(true);
    expect(buckets.filter((b) => b.toLowerCase().includes('example.com'))).toEqual([]);
    expect(buckets.filter((b) => b.includes(owner.email.split('@')[0]!))).toEqual([]);
  });
});
