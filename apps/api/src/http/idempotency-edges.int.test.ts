import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../app-context.js';
import type { MemberEnv } from '../auth/caller.js';
import { createMemoryLogger } from '../logger.js';
import { type TestApp, type TestMember, testApp, testPublicUrl } from '../testing/test-app.js';
import { createErrorHandler } from './error-handler.js';
import { IDEMPOTENCY_LEASE_MS, idempotency } from './idempotency.js';
import { defaultRequestLimits } from './request-limits.js';
import { createRouter } from './router.js';

// Answers no real route gives (a cookie, a 500, a 204, a slow handler), on a small app that runs
// the same middleware against the real database.

const start = new Date('2026-11-26T12:00:00Z');
let app: TestApp;
let ada: TestMember;
let runs: Record<string, number>;
// Every /slow request waits here until the test lets them all finish.
const slowWaiting: (() => void)[] = [];
const releaseSlow = () => {
  for (const resolve of slowWaiting.splice(0)) resolve();
};

function miniApp() {
  const ctx: AppContext = {
    db: app.database.db,
    clock: app.clock,
    logger: createMemoryLogger(),
    publicUrl: testPublicUrl,
    secretKey: Buffer.alloc(32),
    providers: new Map(),
    limits: defaultRequestLimits,
  };
  const mini = createRouter<MemberEnv>();
  mini.onError(createErrorHandler(createMemoryLogger()));
  mini.use(async (c, next) => {
    c.set('caller', { userId: ada.userId, workspaceId: ada.workspaceId, role: 'owner', via: 'api-key' });
    await next();
  });
  mini.use(idempotency(ctx));
  const count = (name: string) => {
    runs[name] = (runs[name] ?? 0) + 1;
    return runs[name];
  };
  mini.post('/cookie', (c) => {
    c.header('set-cookie', 'session=abc');
    return c.json({ run: count('cookie') }, 200);
  });
  mini.post('/flaky', (c) => {
    if (count('flaky') === 1) throw new Error('database went away');
    return c.json({ run: runs.flaky }, 201);
  });
  mini.post('/empty', (c) => {
    count('empty');
    return c.body(null, 204);
  });
  mini.post('/slow', async (c) => {
    const run = count('slow');
    await new Promise<void>((resolve) => slowWaiting.push(resolve));
    return c.text(`run ${run}`, 202);
  });
  return mini;
}

let mini: ReturnType<typeof miniApp>;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  ada = await app.signUp('Acme');
  mini = miniApp();
});
afterAll(() => app.close());
beforeEach(() => app.clock.set(start));

const post = (path: string, key: string) =>
  mini.request(path, { method: 'POST', headers: { 'idempotency-key': key }, body: 'same body' });

describe('Idempotency-Key beyond JSON successes', () => {
  it('never keeps a response that sets a cookie: the retry runs again', async () => {
    runs = {};
    await post('/cookie', 'c-1');
    const retry = await post('/cookie', 'c-1');
    expect(await retry.json()).toEqual({ run: 2 });
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });

  it('never keeps a server error: the retry runs, and its success is what is replayed', async () => {
    runs = {};
    expect((await post('/flaky', 'f-1')).status).toBe(500);
    const retry = await post('/flaky', 'f-1');
    expect(retry.status).toBe(201);
    const replay = await post('/flaky', 'f-1');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toEqual({ run: 2 });
    expect(runs.flaky).toBe(2);
  });

  it('replays a 204 without a body', async () => {
    runs = {};
    await post('/empty', 'e-1');
    const replay = await post('/empty', 'e-1');
    expect(replay.status).toBe(204);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(runs.empty).toBe(1);
  });

  it('answers 409 while the first request still runs, then replays its answer', async () => {
    runs = {};
    const first = post('/slow', 's-1');
    await expect.poll(() => runs.slow).toBe(1);
    app.clock.set(new Date(start.getTime() + IDEMPOTENCY_LEASE_MS - 1000));
    const during = await post('/slow', 's-1');
    expect(during.status).toBe(409);
    expect(during.headers.get('retry-after')).toBe('1');
    expect(await during.json()).toMatchObject({ code: 'idempotency_key_in_progress' });
    releaseSlow();
    expect(await (await first).text()).toBe('run 1');
    const after = await post('/slow', 's-1');
    expect(after.status).toBe(202);
    expect(after.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await after.text()).toBe('run 1');
    expect(runs.slow).toBe(1);
  });

  it('takes over a claim whose lease ran out (its holder died), and only one of two takers runs', async () => {
    runs = {};
    // The first holder never finishes within its lease, as if its process had been killed.
    const abandoned = post('/slow', 's-2');
    await expect.poll(() => runs.slow).toBe(1);
    app.clock.set(new Date(start.getTime() + IDEMPOTENCY_LEASE_MS));
    const takers = [post('/slow', 's-2'), post('/slow', 's-2')];
    await expect.poll(() => runs.slow).toBe(2);
    const refused = await Promise.race(takers);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ code: 'idempotency_key_in_progress' });
    releaseSlow();
    const answers = await Promise.all([abandoned, ...takers]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([202, 202, 409]);
    expect(runs.slow).toBe(2);
    // The late first holder lost its claim: what is kept is the answer of the run that took over.
    const replay = await post('/slow', 's-2');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.text()).toBe('run 2');
  });
});
