import { createHmac, hkdfSync } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppContext } from '../app-context.js';
import { clientAddress } from '../http/client-address.js';
import { problemResponse } from '../http/problem.js';
import { hitRateLimit, type RateLimitVerdict, undoRateLimitHit } from '../http/rate-limit-store.js';
import type { SignInLimits } from '../http/request-limits.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'limits' | 'secretKey'>;

/**
 * Bounds password guessing on POST /api/auth/sign-in/email (mounted in front of better-auth, whose
 * own limiter is off for this path). Failed sign-ins are counted in the database, so every instance
 * sees them, in three buckets:
 *
 * - per account and client address: a hard stop (429) after `failuresPerAccountAddress`;
 * - per client address, over every account: a hard stop after `failuresPerAddress` (one address
 *   spraying many accounts);
 * - per account, over every address: never a stop, only a growing hold before each attempt.
 *
 * Why the account alone never blocks: anyone who knows the owner's email could otherwise lock the
 * owner out with a few wrong passwords. An attacker with many addresses is slowed on every guess; the
 * owner, from an address the attacker has not used, still signs in (after the same hold).
 *
 * Each attempt is counted before better-auth checks the password and taken back once it turns out
 * not to be a failure (better-auth answers anything but 401), so concurrent guesses cannot all slip
 * through before the first failure is written. A success takes back only its own hit: it never
 * clears what an attacker elsewhere has run up.
 */
export function signInThrottle(deps: Deps): MiddlewareHandler {
  const limits = deps.limits.signIn;
  const emailKey = Buffer.from(
    hkdfSync('sha256', deps.secretKey, Buffer.alloc(0), 'paylinks/sign-in-throttle', 32),
  );
  return async (c, next) => {
    const email = await emailOf(c.req.raw);
    // Nothing to guess without an email; better-auth refuses the request itself.
    if (email === undefined) return next();
    const account = createHmac('sha256', emailKey).update(email).digest('base64url');
    const address = clientAddress(c, deps.limits.trustProxy);
    const now = deps.clock.now();
    const hit = (bucket: string, limit: number) =>
      hitRateLimit(deps.db, { bucket, windowMs: limits.windowMs, limit, now });
    const buckets = [
      `signin:acct-addr:${account}:${address}`,
      `signin:addr:${address}`,
      `signin:acct:${account}`,
    ];
    const undo = () =>
      Promise.all(
        buckets.map((bucket) => undoRateLimitHit(deps.db, { bucket, windowMs: limits.windowMs, now })),
      );

    // The per-account count has no stop of its own: its limit is never reached.
    const [pair, fromAddress, onAccount] = (await Promise.all([
      hit(buckets[0]!, limits.failuresPerAccountAddress),
      hit(buckets[1]!, limits.failuresPerAddress),
      hit(buckets[2]!, Number.MAX_SAFE_INTEGER),
    ])) as [RateLimitVerdict, RateLimitVerdict, RateLimitVerdict];

    const refusedFor = Math.max(pair.retryAfterSeconds, fromAddress.retryAfterSeconds);
    if (!pair.allowed || !fromAddress.allowed) {
      // A refused attempt checked no password: it is no failure.
      await undo();
      c.header('retry-after', String(refusedFor));
      return problemResponse(c, 429, {
        code: 'too_many_attempts',
        message: `Too many failed sign-ins. Try again in ${refusedFor} seconds.`,
      });
    }

    // The hits include this attempt; what came before it is one less.
    const hold = signInDelayMs(Math.max(onAccount.hits, fromAddress.hits) - 1, limits);
    if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold));
    try {
      await next();
    } finally {
      if (c.res.status !== 401) await undo();
    }
  };
}

/** How long to hold an attempt after `failures` earlier failures: nothing, then doubling to the cap. */
export function signInDelayMs(failures: number, limits: SignInLimits): number {
  if (limits.delayMs === 0 || failures < limits.delayAfterFailures) return 0;
  const doublings = Math.min(failures - limits.delayAfterFailures, 30);
  return Math.min(limits.maxDelayMs, limits.delayMs * 2 ** doublings);
}

/** The lower-cased email of a sign-in body, if it has one. Read from a copy: better-auth reads the body. */
async function emailOf(request: Request): Promise<string | undefined> {
  const body: unknown = await request
    .clone()
    .json()
    .catch(() => undefined);
  if (typeof body !== 'object' || body === null) return undefined;
  const email = (body as { email?: unknown }).email;
  return typeof email === 'string' && email.trim() !== '' ? email.trim().toLowerCase() : undefined;
}
