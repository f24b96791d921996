import type { Database } from '@paylinks/db';
import { type AppDeps, type Clock, createApp } from '../app.js';
import { createMemoryLogger } from '../logger.js';

export const testPublicUrl = 'http://localhost:3000';

/** A settable clock, so tests move time instead of waiting for it. */
export function testClock(start = new Date('2026-11-26T12:00:00Z')): Clock & { set(at: Date): void } {
  let now = start;
  return { now: () => now, set: (at) => (now = at) };
}

/** The real app on a real test database, with an in-memory logger and a fixed clock. */
export function testApp(database: Database, overrides: Partial<AppDeps> = {}) {
  const logger = createMemoryLogger();
  const clock = testClock();
  const deps: AppDeps = {
    database,
    config: { publicUrl: testPublicUrl },
    secretKey: Buffer.alloc(32, 1),
    clock,
    logger,
    ...overrides,
  };
  const app = createApp(deps);
  return {
    app,
    database,
    logger,
    clock,
    request: (path: string, init?: RequestInit) => app.request(path, init),
    close: () => database.close(),
  };
}
