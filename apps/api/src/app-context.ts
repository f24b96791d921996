import type { PaylinksDb } from '@paylinks/db';
import type { RequestLimits } from './http/request-limits.js';
import type { Logger } from './logger.js';
import type { ProviderRegistry } from './payment-methods/provider-registry.js';

/** Where the app reads the time: tests pass a settable one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What every route module receives: the database, time, config, secrets and the logger. */
export interface AppContext {
  db: PaylinksDb;
  clock: Clock;
  logger: Logger;
  publicUrl: string;
  secretKey: Buffer;
  providers: ProviderRegistry;
  /** Public page budgets, sign-in throttling, and whose X-Forwarded-For to believe. */
  limits: RequestLimits;
}
