import { idempotencyKeys } from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_KEY_TTL_MS } from '../http/idempotency.js';
import { createMemoryLogger } from '../logger.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { startIdempotencySweep, sweepExpiredIdempotencyKeys } from './idempotency-sweep.js';

let app: TestApp;
let ada: TestMember;

beforeAll(async () => {
  app = testApp(await openTestDatabase());
  ada = await app.signUp('Acme');
});
afterAll(() => app.close());

const now = new Date('2026-11-26T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

async function insertKeys(prefix: string, createdAt: Date, n: number) {
  await app.database.db.insert(idempotencyKeys).values(
    Array.from({ length: n }, (_, i) => ({
      workspaceId: ada.workspaceId,
      key: `${prefix}-${i}`,
      requestHash: 'h',
      responseStatus: 201,
      responseBody: { contentType: null, body: '{}' },
      createdAt,
    })),
  );
}

const keysLeft = async () =>
  (
    await app.database.db
      .select({ key: idempotencyKeys.key })
      .from(idempotencyKeys)
      .where(eq(idempotencyKeys.workspaceId, ada.workspaceId))
  )
    .map((row) => row.key)
    .sort();

describe('idempotency key sweep', () => {
  it('removes keys past 24 hours that nobody reuses, in bounded batches, and keeps younger ones', async () => {
    await insertKeys('old', ago(IDEMPOTENCY_KEY_TTL_MS), 5);
    await insertKeys('young', ago(IDEMPOTENCY_KEY_TTL_MS - 1000), 2);
    const deps = { db: app.database.db, clock: { now: () => now }, logger: createMemoryLogger() };

    // Two batches of two per run: four of the five expired keys go now, the fifth next time.
    expect(await sweepExpiredIdempotencyKeys(deps, { batchSize: 2, maxBatches: 2 })).toBe(4);
    expect(await keysLeft()).toHaveLength(3);
    expect(await sweepExpiredIdempotencyKeys(deps, { batchSize: 2, maxBatches: 2 })).toBe(1);
    expect(await keysLeft()).toEqual(['young-0', 'young-1']);
  });

  it('runs by itself on its interval, and two instances sweeping at once both finish', async () => {
    await app.database.db.delete(idempotencyKeys).where(eq(idempotencyKeys.workspaceId, ada.workspaceId));
    await insertKeys('stale', ago(IDEMPOTENCY_KEY_TTL_MS + 60_000), 30);
    const logger = createMemoryLogger();
    const deps = { db: app.database.db, clock: { now: () => now }, logger };
    const stops = [
      startIdempotencySweep(deps, 10, { batchSize: 7, maxBatches: 10 }),
      startIdempotencySweep(deps, 10, { batchSize: 7, maxBatches: 10 }),
    ];
    await expect.poll(keysLeft, { timeout: 5000 }).toEqual([]);
    await Promise.all(stops.map((stop) => stop()));
    expect(logger.lines.filter((line) => line.level === 'error')).toEqual([]);
  });
});
