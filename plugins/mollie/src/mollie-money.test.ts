import { currencyExponent } from '@paylinks/core';
import { describe, expect, it } from 'vitest';
import {
  fromMollieAmount,
  mollieCurrencies,
  mollieCurrencyDecimals,
  toMollieAmount,
} from './mollie-money.js';

describe('Mollie amounts', () => {
  it('writes EUR with two decimals and JPY with none', () => {
    expect(toMollieAmount({ minor: 1050n, currency: 'EUR' })).toEqual({ currency: 'EUR', value: '10.50' });
    expect(toMollieAmount({ minor: 5n, currency: 'EUR' })).toEqual({ currency: 'EUR', value: '0.05' });
    expect(toMollieAmount({ minor: 1000n, currency: 'JPY' })).toEqual({ currency: 'JPY', value: '1000' });
    expect(toMollieAmount({ minor: 123_456_789n, currency: 'EUR' }).value).toBe('1234567.89');
  });

  it('reads back exactly what it wrote', () => {
    for (const money of [
      { minor: 1n, currency: 'EUR' },
      { minor: 999_999n, currency: 'JPY' },
      { minor: 123_456_789n, currency: 'ISK' },
    ]) {
      expect(fromMollieAmount(toMollieAmount(money))).toEqual(money);
    }
  });

  it('refuses amounts not written with the currency’s own decimals', () => {
    expect(fromMollieAmount({ currency: 'EUR', value: '10.5' })).toBeUndefined();
    expect(fromMollieAmount({ currency: 'JPY', value: '1000.00' })).toBeUndefined();
    expect(fromMollieAmount({ currency: 'EUR', value: '-1.00' })).toBeUndefined();
    expect(fromMollieAmount({ currency: 'KWD', value: '1.000' })).toBeUndefined();
    expect(fromMollieAmount({ currency: 'EUR', value: '9'.repeat(40) })).toBeUndefined();
  });

  it('lists no three-decimal currency, since Mollie takes none', () => {
    expect(mollieCurrencies).not.toContain('KWD');
    expect(mollieCurrencies.map(currencyExponent)).not.toContain(3);
  });

  it.each(Object.entries(mollieCurrencyDecimals))(
    '%s: Mollie’s %i decimals can carry every amount core holds',
    (code, decimals) => {
      expect(decimals).toBeGreaterThanOrEqual(currencyExponent(code));
    },
  );

  it('pads HUF to Mollie’s two decimals, which core (ICU) counts in whole forints', () => {
    expect(currencyExponent('HUF')).toBe(0);
    expect(toMollieAmount({ minor: 1000n, currency: 'HUF' })).toEqual({ currency: 'HUF', value: '1000.00' });
    expect(fromMollieAmount({ currency: 'HUF', value: '1000.00' })).toEqual({
      minor: 1000n,
      currency: 'HUF',
    });
    expect(fromMollieAmount({ currency: 'HUF', value: '10.50' }), 'fillér core cannot hold').toBeUndefined();
  });
});
