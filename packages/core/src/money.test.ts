import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { supportedCurrencies } from './currency.js';
import {
  compareMoney,
  createMoney,
  formatMoney,
  isZero,
  MAX_MINOR_UNITS,
  type Money,
  parseMoney,
  toDecimalString,
} from './money.js';

const currencies = supportedCurrencies();
const amounts = fc.oneof(fc.bigInt({ min: 0n, max: 100_000n }), fc.bigInt({ min: 0n, max: MAX_MINOR_UNITS }));
const moneyArb = fc.record({ minor: amounts, currency: fc.constantFrom(...currencies) });

function errorCode(amount: unknown, currency: unknown = 'EUR') {
  const r = parseMoney(amount, currency);
  return r.ok ? undefined : r.error.code;
}

// Reads back what formatMoney printed for 'en': drop the currency marker Intl reports for this
// currency and the grouping commas; what remains must be a plain decimal. Symbols such as "Cg." for
// XCG contain a dot, which is why the marker is removed as a whole rather than character by character.
function parseEnglishDisplay(text: string, currency: string) {
  const parts = new Intl.NumberFormat('en', { style: 'currency', currency }).formatToParts(1);
  const symbol = parts.find((p) => p.type === 'currency')?.value ?? '';
  return parseMoney(text.replace(symbol, '').replace(/[,\s]/g, ''), currency);
}

describe('parseMoney', () => {
  it.each([
    ['10.50', 'EUR', 1050n],
    ['10.5', 'EUR', 1050n],
    ['10', 'EUR', 1000n],
    ['0', 'EUR', 0n],
    ['0.01', 'EUR', 1n],
    ['1000', 'JPY', 1000n],
    ['100.00', 'JPY', 100n],
    ['1.234', 'KWD', 1234n],
    ['10.500', 'EUR', 1050n],
    ['007', 'EUR', 700n],
    ['10.50', 'eur', 1050n],
    ['90071992547409.91', 'EUR', MAX_MINOR_UNITS],
  ])('%s %s is %i minor units', (amount, currency, minor) => {
    expect(parseMoney(amount, currency)).toEqual({
      ok: true,
      value: { minor, currency: currency.toUpperCase() },
    });
  });

  it.each([
    ['10.555', 'EUR', 'amount_too_precise'],
    ['10.001', 'EUR', 'amount_too_precise'],
    ['1.5', 'JPY', 'amount_too_precise'],
    ['1.2345', 'KWD', 'amount_too_precise'],
    ['-1', 'EUR', 'negative_amount'],
    ['-0.50', 'EUR', 'negative_amount'],
    ['1e3', 'EUR', 'invalid_amount'],
    ['abc', 'EUR', 'invalid_amount'],
    ['', 'EUR', 'invalid_amount'],
    [' 1', 'EUR', 'invalid_amount'],
    ['1 ', 'EUR', 'invalid_amount'],
    ['+1', 'EUR', 'invalid_amount'],
    ['.5', 'EUR', 'invalid_amount'],
    ['5.', 'EUR', 'invalid_amount'],
    ['1,000', 'EUR', 'invalid_amount'],
    ['10,50', 'EUR', 'invalid_amount'],
    ['0x10', 'EUR', 'invalid_amount'],
    ['Infinity', 'EUR', 'invalid_amount'],
    ['--1', 'EUR', 'invalid_amount'],
    ['90071992547409.92', 'EUR', 'amount_too_large'],
    ['9223372036854775807', 'JPY', 'amount_too_large'],
    ['9'.repeat(100_000), 'EUR', 'amount_too_large'],
    ['10', 'XXY', 'unknown_currency'],
    ['10', '', 'unknown_currency'],
  ])('%j %s fails with %s', (amount, currency, code) => {
    expect(errorCode(amount, currency)).toBe(code);
  });

  it('refuses non-string amounts, floats included', () => {
    for (const value of [10.5, 10, 10n, null, undefined, {}]) expect(errorCode(value)).toBe('invalid_amount');
  });

  it('names the field at fault', () => {
    const bad = parseMoney('x', 'EUR');
    const badCurrency = parseMoney('1', 'XXY');
    expect(!bad.ok && bad.error.field).toBe('amount');
    expect(!badCurrency.ok && badCurrency.error.field).toBe('currency');
  });
});

describe('toDecimalString', () => {
  it.each([
    [1050n, 'EUR', '10.50'],
    [5n, 'EUR', '0.05'],
    [0n, 'EUR', '0.00'],
    [1050n, 'JPY', '1050'],
    [1050n, 'KWD', '1.050'],
    [7n, 'KWD', '0.007'],
    [-1050n, 'EUR', '-10.50'],
  ])('%i %s is %s', (minor, currency, text) => {
    expect(toDecimalString({ minor, currency })).toBe(text);
  });

  it('is inverted by parseMoney for every currency and amount', () => {
    fc.assert(
      fc.property(moneyArb, (money) => {
        expect(parseMoney(toDecimalString(money), money.currency)).toEqual({ ok: true, value: money });
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips the boundary amounts of every supported currency', () => {
    for (const currency of currencies) {
      for (const minor of [0n, 1n, 99n, 100n, 1001n, MAX_MINOR_UNITS]) {
        const money = { minor, currency };
        expect(parseMoney(toDecimalString(money), currency)).toEqual({ ok: true, value: money });
      }
    }
  });
});

describe('formatMoney', () => {
  it.each([
    [{ minor: 1050n, currency: 'EUR' }, 'en', '€10.50'],
    [{ minor: 123456n, currency: 'EUR' }, 'de', '1.234,56\u00a0€'],
    [{ minor: 1000n, currency: 'JPY' }, 'en', '¥1,000'],
    [{ minor: 1234n, currency: 'KWD' }, 'en', 'KWD\u00a01.234'],
    [{ minor: MAX_MINOR_UNITS, currency: 'EUR' }, 'en', '€90,071,992,547,409.91'],
  ] satisfies [Money, string, string][])('%o in %s is %s', (money, locale, text) => {
    expect(formatMoney(money, locale)).toBe(text);
  });

  it('falls back to English for a malformed locale instead of throwing', () => {
    expect(formatMoney({ minor: 1050n, currency: 'EUR' }, 'not a locale!')).toBe('€10.50');
  });

  it('English display reads back to the same amount for every currency (no float rounding)', () => {
    fc.assert(
      fc.property(moneyArb, (money) => {
        expect(parseEnglishDisplay(formatMoney(money, 'en'), money.currency)).toEqual({
          ok: true,
          value: money,
        });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('createMoney', () => {
  it('accepts in-range minor units and refuses the rest', () => {
    expect(createMoney(5n, 'EUR')).toEqual({ ok: true, value: { minor: 5n, currency: 'EUR' } });
    expect(createMoney(-1n, 'EUR')).toMatchObject({ ok: false, error: { code: 'negative_amount' } });
    expect(createMoney(MAX_MINOR_UNITS + 1n, 'EUR')).toMatchObject({
      ok: false,
      error: { code: 'amount_too_large' },
    });
    expect(createMoney(5n, 'XXY')).toMatchObject({ ok: false, error: { code: 'unknown_currency' } });
  });
});

describe('isZero and compareMoney', () => {
  it('compares within one currency', () => {
    const eur = (minor: bigint): Money => ({ minor, currency: 'EUR' });
    expect(isZero(eur(0n))).toBe(true);
    expect(isZero(eur(1n))).toBe(false);
    expect(compareMoney(eur(1n), eur(2n))).toEqual({ ok: true, value: -1 });
    expect(compareMoney(eur(2n), eur(2n))).toEqual({ ok: true, value: 0 });
    expect(compareMoney(eur(3n), eur(2n))).toEqual({ ok: true, value: 1 });
  });

  it('refuses to compare different currencies', () => {
    const r = compareMoney({ minor: 1n, currency: 'EUR' }, { minor: 1n, currency: 'USD' });
    expect(r).toMatchObject({ ok: false, error: { code: 'currency_mismatch' } });
  });
});
