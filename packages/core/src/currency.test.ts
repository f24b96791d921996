import { describe, expect, it } from 'vitest';
import { currencyExponent, isKnownCurrency, parseCurrency, supportedCurrencies } from './currency.js';

describe('currencyExponent', () => {
  it.each([
    ['JPY', 0],
    ['KRW', 0],
    ['EUR', 2],
    ['USD', 2],
    ['GBP', 2],
    ['KWD', 3],
    ['BHD', 3],
  ])('%s has %i decimals', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
  });
});

describe('parseCurrency', () => {
  it('accepts known codes and normalises case', () => {
    expect(parseCurrency('EUR')).toEqual({ ok: true, value: 'EUR' });
    expect(parseCurrency('jpy')).toEqual({ ok: true, value: 'JPY' });
  });

  it.each([['XXY'], ['EU'], ['EURO'], [' EUR'], [''], [42], [null], [undefined]])('refuses %j', (input) => {
    const r = parseCurrency(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'unknown_currency', field: 'currency' });
  });

  it('reports the caller-chosen field', () => {
    const r = parseCurrency('XXY', 'price.currency');
    expect(!r.ok && r.error.field).toBe('price.currency');
  });
});

describe('supportedCurrencies', () => {
  it('lists upper-case ISO codes including the common ones', () => {
    const all = supportedCurrencies();
    expect(all).toEqual(expect.arrayContaining(['EUR', 'USD', 'JPY', 'KWD']));
    for (const c of all) {
      expect(c).toMatch(/^[A-Z]{3}$/);
      expect(isKnownCurrency(c)).toBe(true);
    }
    expect(isKnownCurrency('XXY')).toBe(false);
  });
});
