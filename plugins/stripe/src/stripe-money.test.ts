import { describe, expect, it } from 'vitest';
import { fromStripeAmount, stripeAmountStep, stripeCurrencies, toStripeAmount } from './stripe-money.js';

describe('toStripeAmount', () => {
  it('sends JPY as whole yen, EUR as cents and KWD as fils', () => {
    expect(toStripeAmount({ minor: 500n, currency: 'JPY' })).toEqual({
      ok: true,
      value: { amount: 500, currency: 'jpy' },
    });
    expect(toStripeAmount({ minor: 1050n, currency: 'EUR' })).toEqual({
      ok: true,
      value: { amount: 1050, currency: 'eur' },
    });
    expect(toStripeAmount({ minor: 5120n, currency: 'KWD' })).toEqual({
      ok: true,
      value: { amount: 5120, currency: 'kwd' },
    });
  });

  it('refuses a three-decimal amount whose last digit is not 0 rather than rounding it', () => {
    const refused = toStripeAmount({ minor: 5124n, currency: 'KWD' });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.code).toBe('invalid_amount');
    expect(stripeAmountStep('KWD')).toBe(10n);
    expect(stripeAmountStep('EUR')).toBe(1n);
    expect(stripeAmountStep('JPY')).toBe(1n);
  });

  it('scales ISK and HUF, whole units to us, to the two decimals Stripe keeps for them', () => {
    expect(toStripeAmount({ minor: 5n, currency: 'ISK' })).toEqual({
      ok: true,
      value: { amount: 500, currency: 'isk' },
    });
    expect(fromStripeAmount(500, 'isk')).toEqual({ minor: 5n, currency: 'ISK' });
    expect(fromStripeAmount(550, 'huf')).toBeUndefined();
  });

  it('refuses zero, negative amounts and currencies Stripe does not take', () => {
    expect(toStripeAmount({ minor: 0n, currency: 'EUR' }).ok).toBe(false);
    expect(toStripeAmount({ minor: -5n, currency: 'EUR' }).ok).toBe(false);
    const xau = toStripeAmount({ minor: 100n, currency: 'XAU' });
    expect(!xau.ok && xau.error.code).toBe('unsupported_currency');
    expect(stripeCurrencies).not.toContain('XAU');
    expect(stripeCurrencies).toEqual(expect.arrayContaining(['EUR', 'JPY', 'KWD', 'USD']));
  });

  it('reads amounts back exactly and refuses what we could not have sent', () => {
    for (const [amount, currency, minor] of [
      [500, 'jpy', 500n],
      [123456789, 'eur', 123456789n],
      [1230, 'kwd', 1230n],
    ] as const) {
      expect(fromStripeAmount(amount, currency)).toEqual({ minor, currency: currency.toUpperCase() });
    }
    expect(fromStripeAmount(10.5, 'eur')).toBeUndefined();
    expect(fromStripeAmount('1050', 'eur')).toBeUndefined();
    expect(fromStripeAmount(1050, 'xau')).toBeUndefined();
  });
});
