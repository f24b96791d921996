import { describe, expect, it } from 'vitest';
import { sessionExpiry } from './stripe-checkout-params.js';
import { stripeCredentialsSchema, stripeModeOf } from './stripe-credentials.js';

const webhookSecret = 'whsec_0123456789abcdefghijABCDEF';

describe('stripe credentials', () => {
  it('takes secret and restricted keys, test or live, and tells them apart', () => {
    for (const [secretKey, mode] of [
      ['sk_test_51Habcdefghijklmnop', 'test'],
      ['rk_test_51Habcdefghijklmnop', 'test'],
      ['sk_live_51Habcdefghijklmnop', 'live'],
      ['rk_live_51Habcdefghijklmnop', 'live'],
    ] as const) {
      const parsed = stripeCredentialsSchema.parse({ secretKey, webhookSecret });
      expect(stripeModeOf(parsed)).toBe(mode);
    }
  });

  it('refuses publishable keys, missing signing secrets and extra fields', () => {
    expect(
      stripeCredentialsSchema.safeParse({ secretKey: 'pk_live_51Habcdefghijklmnop', webhookSecret }).success,
    ).toBe(false);
    expect(stripeCredentialsSchema.safeParse({ secretKey: 'sk_test_51Habcdefghijklmnop' }).success).toBe(
      false,
    );
    expect(
      stripeCredentialsSchema.safeParse({ secretKey: 'sk_test_51Habcdefghijklmnop', webhookSecret, x: 1 })
        .success,
    ).toBe(false);
  });
});

describe('sessionExpiry', () => {
  const now = new Date('2030-01-01T12:00:00Z');
  const inMinutes = (m: number) => new Date(now.getTime() + m * 60_000);
  it('keeps Stripe’s 24 hours unless the link ends sooner, and never outlives the link', () => {
    expect(sessionExpiry(undefined, now)).toEqual({ kind: 'default' });
    expect(sessionExpiry(inMinutes(48 * 60), now)).toEqual({ kind: 'default' });
    expect(sessionExpiry(inMinutes(120), now)).toEqual({
      kind: 'at',
      seconds: inMinutes(120).getTime() / 1000,
    });
    expect(sessionExpiry(inMinutes(20), now)).toEqual({ kind: 'too_soon' });
  });
});
