import { rateLimitHits } from '@paylinks/db';
import { openTestDatabase, type TestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRateLimitSweep, sweepExpiredRateLimits } from '../jobs/rate-limit-sweep.js';
import { createMemoryLogger } from '../logger.js';
import { hitRateLimit, undoRateLimitHit } from './rate-limit-store.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

const at = (iso: string) => new Date(iso);
const minute = 60_000;

describe('database rate limit store', () => {
  it('allows the limit within a window and refuses the next, saying when the window ends', async () => {
    const hit = () =>
      hitRateLimit(database.db, { bucket: 'a', windowMs: minute, limit: 3, now: at('2026-11-26T12:00:15Z') });
    const verdicts = [await hit(), await hit(), await hit(), await hit()];
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, false]);
    expect(verdicts[3]).toEqual({ allowed: false, hits: 4, retryAfterSeconds: 45 });
  });

  it('starts counting again in the next window, and counts every bucket on its own', async () => {
    const hit = (bucket: string, iso: string) =>
      hitRateLimit(database.db, { bucket, windowMs: minute, limit: 1, now: at(iso) });
    expect((await hit('b', '2026-11-26T12:00:59Z')).allowed).toBe(true);
    expect((await hit('b', '2026-11-26T12:00:59.500Z')).allowed).toBe(false);
    expect((await hit('c', '2026-11-26T12:00:59.500Z')).allowed).toBe(true);
    expect(await hit('b', '2026-11-26T12:01:00Z')).toEqual({ allowed: true, hits: 1, retryAfterSeconds: 0 });
  });

  it('counts 50 concurrent hits exactly: 20 allowed, 30 refused', async () => {
    const now = at('2026-11-26T12:00:00Z');
    const verdicts = await Promise.all(
      Array.from({ length: 50 }, () =>
        hitRateLimit(database.db, { bucket: 'race', windowMs: minute, limit: 20, now }),
      ),
    );
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(20);
    expect(verdicts.map((v) => v.hits).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
  });

  it('takes back a hit in the same window, never below zero', async () => {
    const now = at('2026-11-26T12:00:00Z');
    const hit = { bucket: 'undo', windowMs: minute, limit: 1, now };
    await hitRateLimit(database.db, hit);
    await undoRateLimitHit(database.db, hit);
    await undoRateLimitHit(database.db, hit);
    expect((await hitRateLimit(database.db, hit)).hits).toBe(1);
  });

  it('sweeps ended windows in bounded batches and keeps the current ones', async () => {
    const deps = {
      db: database.db,
      clock: { now: () => at('2026-11-26T13:00:00Z') },
      logger: createMemoryLogger(),
    };
    // Only this test's rows: the windows the tests above counted in have ended too.
    await database.db.delete(rateLimitHits);
    await database.db.insert(rateLimitHits).values([
      ...Array.from({ length: 5 }, (_, i) => ({
        bucket: `sweep:old:${i}`,
        windowStart: at('2026-11-26T12:58:00Z'),
        hits: 1,
        expiresAt: at('2026-11-26T12:59:00Z'),
      })),
      {
        bucket: 'sweep:current',
        windowStart: at('2026-11-26T13:00:00Z'),
        hits: 1,
        expiresAt: at('2026-11-26T13:01:00Z'),
      },
    ]);
    const left = async () => (await database.db.select().from(rateLimitHits)).length;
    expect(await sweepExpiredRateLimits(deps, { batchSize: 2, maxBatches: 2 })).toBe(4);
    expect(await left()).toBe(2);

    const stop = startRateLimitSweep(deps, 10);
    await expect.poll(left).toBe(1);
    await stop();
  });
});
