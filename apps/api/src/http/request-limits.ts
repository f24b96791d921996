import { z } from 'zod';
import { parseTrustProxy, type TrustProxy, trustNoProxy } from './client-address.js';

/** Requests per client address and minute on the public payment page, per route. */
export interface PublicPayLimits {
  viewPerMinute: number;
  /** Tighter than the others: each attempt can reach the provider, and card testing is attempts. */
  checkoutPerMinute: number;
  statusPerMinute: number;
}

/** How failed sign-ins are slowed and then refused; see auth/sign-in-throttle.ts for why these keys. */
export interface SignInLimits {
  /** Failures are counted in fixed windows of this length. */
  windowMs: number;
  /** Failures for one account from one client address, then 429 from that address only. */
  failuresPerAccountAddress: number;
  /** Failures from one client address over all accounts, then 429 for that address. */
  failuresPerAddress: number;
  /** Failures (on the account, or from the address) before each further attempt is held back. */
  delayAfterFailures: number;
  /** The first hold; it doubles with every further failure. 0 turns holding off. */
  delayMs: number;
  maxDelayMs: number;
}

/** Every limit on what a client may ask, and how the client is told apart. */
export interface RequestLimits {
  trustProxy: TrustProxy;
  publicPay: PublicPayLimits;
  signIn: SignInLimits;
}

export const defaultRequestLimits: RequestLimits = {
  trustProxy: trustNoProxy,
  publicPay: { viewPerMinute: 60, checkoutPerMinute: 10, statusPerMinute: 60 },
  signIn: {
    windowMs: 15 * 60_000,
    failuresPerAccountAddress: 5,
    failuresPerAddress: 20,
    delayAfterFailures: 3,
    delayMs: 500,
    maxDelayMs: 8_000,
  },
};

const count = (fallback: number, min = 1) =>
  z.coerce.number().int().min(min).max(1_000_000_000).default(fallback);
const { publicPay, signIn } = defaultRequestLimits;

const limitsEnv = z.object({
  PAYLINKS_RATE_LIMIT_VIEW_PER_MIN: count(publicPay.viewPerMinute),
  PAYLINKS_RATE_LIMIT_CHECKOUT_PER_MIN: count(publicPay.checkoutPerMinute),
  PAYLINKS_RATE_LIMIT_STATUS_PER_MIN: count(publicPay.statusPerMinute),
  PAYLINKS_SIGNIN_WINDOW_MS: z.coerce.number().int().min(1000).max(86_400_000).default(signIn.windowMs),
  PAYLINKS_SIGNIN_FAILURES_PER_ACCOUNT_ADDRESS: count(signIn.failuresPerAccountAddress),
  PAYLINKS_SIGNIN_FAILURES_PER_ADDRESS: count(signIn.failuresPerAddress),
  PAYLINKS_SIGNIN_DELAY_AFTER_FAILURES: count(signIn.delayAfterFailures, 0),
  PAYLINKS_SIGNIN_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(signIn.delayMs),
  PAYLINKS_SIGNIN_MAX_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(signIn.maxDelayMs),
});

/**
 * The limits from the environment (unset or empty: the defaults above), or what is wrong with them,
 * one line per setting, for config.ts to report with the rest.
 */
export function readRequestLimits(
  env: Record<string, string | undefined>,
): { ok: true; value: RequestLimits } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const trust = parseTrustProxy(env.PAYLINKS_TRUST_PROXY);
  if (!trust.ok) errors.push(`PAYLINKS_TRUST_PROXY: ${trust.error}`);
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = limitsEnv.safeParse(present);
  if (!parsed.success)
    errors.push(...parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  if (parsed.success && parsed.data.PAYLINKS_SIGNIN_DELAY_MS > parsed.data.PAYLINKS_SIGNIN_MAX_DELAY_MS) {
    errors.push('PAYLINKS_SIGNIN_DELAY_MS: must not be longer than PAYLINKS_SIGNIN_MAX_DELAY_MS');
  }
  if (!trust.ok || !parsed.success || errors.length > 0) return { ok: false, errors };
  const value = parsed.data;
  return {
    ok: true,
    value: {
      trustProxy: trust.value,
      publicPay: {
        viewPerMinute: value.PAYLINKS_RATE_LIMIT_VIEW_PER_MIN,
        checkoutPerMinute: value.PAYLINKS_RATE_LIMIT_CHECKOUT_PER_MIN,
        statusPerMinute: value.PAYLINKS_RATE_LIMIT_STATUS_PER_MIN,
      },
      signIn: {
        windowMs: value.PAYLINKS_SIGNIN_WINDOW_MS,
        failuresPerAccountAddress: value.PAYLINKS_SIGNIN_FAILURES_PER_ACCOUNT_ADDRESS,
        failuresPerAddress: value.PAYLINKS_SIGNIN_FAILURES_PER_ADDRESS,
        delayAfterFailures: value.PAYLINKS_SIGNIN_DELAY_AFTER_FAILURES,
        delayMs: value.PAYLINKS_SIGNIN_DELAY_MS,
        maxDelayMs: value.PAYLINKS_SIGNIN_MAX_DELAY_MS,
      },
    },
  };
}
