import type { Context } from 'hono';
import { problemResponse } from './problem.js';

/**
 * How long a client should wait before retrying while the database cannot be reached. Short: a
 * PostgreSQL restart or failover takes seconds, and the answer is the same for every route.
 */
export const databaseRetryAfterSeconds = 5;

/** 503 with Retry-After: the request was fine, the database was not there to answer it. */
export function databaseUnavailableResponse(c: Context): Response {
  c.header('retry-after', String(databaseRetryAfterSeconds));
  return problemResponse(c, 503, {
    code: 'database_unavailable',
    message: 'The database cannot be reached right now; try again in a few seconds.',
  });
}
