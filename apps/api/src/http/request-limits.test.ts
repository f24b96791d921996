import { describe, expect, it } from 'vitest';
import { defaultRequestLimits, readRequestLimits } from './request-limits.js';

describe('request limits from the environment', () => {
  it('are the defaults when nothing is set', () => {
    expect(readRequestLimits({ PAYLINKS_RATE_LIMIT_VIEW_PER_MIN: '' })).toEqual({
      ok: true,
      value: defaultRequestLimits,
    });
  });

  it('take every setting, so a benchmark or a busy shop can raise them', () => {
    const read = readRequestLimits({
      PAYLINKS_TRUST_PROXY: '10.0.0.0/8',
      PAYLINKS_RATE_LIMIT_VIEW_PER_MIN: '100000',
      PAYLINKS_RATE_LIMIT_CHECKOUT_PER_MIN: '500',
      PAYLINKS_RATE_LIMIT_STATUS_PER_MIN: '2000',
      PAYLINKS_SIGNIN_WINDOW_MS: '60000',
      PAYLINKS_SIGNIN_FAILURES_PER_ACCOUNT_ADDRESS: '8',
      PAYLINKS_SIGNIN_FAILURES_PER_ADDRESS: '200',
      PAYLINKS_SIGNIN_DELAY_AFTER_FAILURES: '0',
      PAYLINKS_SIGNIN_DELAY_MS: '0',
      PAYLINKS_SIGNIN_MAX_DELAY_MS: '0',
    });
    if (!read.ok) throw new Error(read.errors.join('\n'));
    expect(read.value.trustProxy).toMatchObject({ kind: 'cidrs', cidrs: ['10.0.0.0/8'] });
    expect(read.value.publicPay).toEqual({
      viewPerMinute: 100000,
      checkoutPerMinute: 500,
      statusPerMinute: 2000,
    });
    expect(read.value.signIn).toEqual({
      windowMs: 60000,
      failuresPerAccountAddress: 8,
      failuresPerAddress: 200,
      delayAfterFailures: 0,
      delayMs: 0,
      maxDelayMs: 0,
    });
  });

  it('name every bad setting', () => {
    const read = readRequestLimits({
      PAYLINKS_TRUST_PROXY: 'everyone',
      PAYLINKS_RATE_LIMIT_CHECKOUT_PER_MIN: '0',
      PAYLINKS_SIGNIN_DELAY_MS: '5000',
      PAYLINKS_SIGNIN_MAX_DELAY_MS: '1000',
    });
    expect(read.ok).toBe(false);
    const text = read.ok ? '' : read.errors.join('\n');
    expect(text).toContain('PAYLINKS_TRUST_PROXY: "everyone"');
    expect(text).toContain('PAYLINKS_RATE_LIMIT_CHECKOUT_PER_MIN');
    expect(
      readRequestLimits({ PAYLINKS_SIGNIN_DELAY_MS: '5000', PAYLINKS_SIGNIN_MAX_DELAY_MS: '1000' }),
    ).toEqual({
      ok: false,
      errors: ['PAYLINKS_SIGNIN_DELAY_MS: must not be longer than PAYLINKS_SIGNIN_MAX_DELAY_MS'],
    });
  });
});
