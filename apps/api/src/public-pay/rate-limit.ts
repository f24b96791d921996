import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { problemResponse } from '../http/problem.js';

export interface FixedWindowLimiter {
  /** Counts one request for `key`; says whether it is allowed and, if not, when to come back. */
  hit(key: string): { allowed: true } | { allowed: false; retryAfterSeconds: number };
}

/**
 * A fixed-window counter per key, in this process's memory. Enough to slow a script hammering the
 * public pages or trying cards from one address; several instances each count on their own, so the
 * real ceiling is `limit` times the number of instances.
 */
export function createFixedWindowLimiter(options: {
  limit: number;
  windowMs: number;
  now: () => Date;
  /** Above this many keys, expired windows are swept so memory stays bounded under a spray of IPs. */
  sweepAbove?: number;
}): FixedWindowLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  const sweepAbove = options.sweepAbove ?? 10_000;
  return {
    hit(key) {
      const now = options.now().getTime();
      const start = now - (now % options.windowMs);
      if (windows.size > sweepAbove) {
        for (const [k, w] of windows) if (w.start !== start) windows.delete(k);
      }
      const current = windows.get(key);
      const window = current && current.start === start ? current : { start, count: 0 };
      window.count += 1;
      windows.set(key, window);
      if (window.count <= options.limit) return { allowed: true };
      return { allowed: false, retryAfterSeconds: Math.ceil((start + options.windowMs - now) / 1000) };
    },
  };
}

/**
 * The client address from the socket. X-Forwarded-For is deliberately not read: without a proxy
 * that overwrites it, anyone could send a fresh value per request and never be limited. Behind a
 * proxy every client shares the proxy's address, so deployments there should limit at the proxy.
 * Under app.request (tests) there is no socket, and every request counts as 'unknown'.
 */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Answers 429 problem+json once this client has used up `route`'s window. */
export function rateLimit(limiter: FixedWindowLimiter, route: string): MiddlewareHandler {
  return async (c, next) => {
    const verdict = limiter.hit(`${clientAddress(c)}|${route}`);
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
