import type { MiddlewareHandler } from 'hono';
import type { AppContext } from '../app-context.js';
import { clientAddress } from '../http/client-address.js';
import { problemResponse } from '../http/problem.js';
import { hitRateLimit } from '../http/rate-limit-store.js';

/** `brand`: a payer page's branding and logo, one fetch each per page view, counted apart from the view. */
export type PublicPayRoute = 'view' | 'checkout' | 'status' | 'brand';

/**
 * Answers 429 problem+json once this client has used up `route`'s budget for the minute. Counted
 * in the database, so the limit holds across instances; the client is told apart by
 * clientAddress (PAYLINKS_TRUST_PROXY decides whether a proxy's X-Forwarded-For counts).
 */
export function rateLimit(
  ctx: Pick<AppContext, 'db' | 'clock' | 'limits'>,
  route: PublicPayRoute,
): MiddlewareHandler {
  const perMinute = budgetOf(ctx.limits.publicPay, route);
  return async (c, next) => {
    const verdict = await hitRateLimit(ctx.db, {
      bucket: `pay:${route}:${clientAddress(c, ctx.limits.trustProxy)}`,
      windowMs: 60_000,
      limit: perMinute,
      now: ctx.clock.now(),
    });
    if (!verdict.allowed) {
      c.header('retry-after', String(verdict.retryAfterSeconds));
      return problemResponse(c, 429, {
        code: 'rate_limited',
        message: `Too many requests. Try again in ${verdict.retryAfterSeconds} seconds.`,
      });
    }
    await next();
  };
}

function budgetOf(limits: AppContext['limits']['publicPay'], route: PublicPayRoute): number {
  switch (route) {
    case 'view':
    case 'brand':
      return limits.viewPerMinute;
    case 'checkout':
      return limits.checkoutPerMinute;
    case 'status':
      return limits.statusPerMinute;
    default: {
      const unreachable: never = route;
      return unreachable;
    }
  }
}
