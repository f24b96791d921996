import { type CurrencyCode, currencyExponent, parseCurrency } from './currency.js';
import { domainError, err, ok, type Result } from './domain-error.js';

/** An exact amount: an integer count of minor units (cents, yen, fils) and its ISO 4217 currency. */
export type Money = { readonly minor: bigint; readonly currency: CurrencyCode };

// Number.MAX_SAFE_INTEGER rather than the Postgres bigint maximum: it still fits a bigint column, and
// an amount that survives every hop (JSON numbers, drivers that read int8 as number, provider APIs
// that take integers) is worth more than the remaining 1000x of headroom nobody will bill.
export const MAX_MINOR_UNITS = 9_007_199_254_740_991n;

// A canonical decimal: digits, optionally a dot and digits. No grouping, exponent or sign, because
// "1,000" and "1.000" mean different things in different locales and the API must not guess.
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
// MAX_MINOR_UNITS has 16 digits; a longer integer part is out of range whatever the exponent, and
// checking that first keeps BigInt() away from hostile megabyte-long digit strings.
const MAX_INTEGER_DIGITS = MAX_MINOR_UNITS.toString().length;

export function parseMoney(amount: unknown, currency: unknown): Result<Money> {
  const code = parseCurrency(currency);
  if (!code.ok) return code;
  if (typeof amount !== 'string') {
    return err(domainError('invalid_amount', 'Amount must be a decimal string such as "10.50"', 'amount'));
  }
  if (amount.startsWith('-') && DECIMAL.test(amount.slice(1))) {
    return err(domainError('negative_amount', 'Amount cannot be negative', 'amount'));
  }
  const match = DECIMAL.exec(amount);
  if (!match) {
    return err(domainError('invalid_amount', 'Amount must be a decimal string such as "10.50"', 'amount'));
  }
  if ((match[1] ?? '').replace(/^0+/, '').length > MAX_INTEGER_DIGITS) return tooLarge();
  const exponent = currencyExponent(code.value);
  // Trailing zeros carry no value, so "100.00" JPY is the exact amount 100 and is accepted.
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) {
    const unit = exponent === 0 ? 'no decimals' : `at most ${exponent} decimal${exponent === 1 ? '' : 's'}`;
    return err(domainError('amount_too_precise', `${code.value} amounts have ${unit}`, 'amount'));
  }
  const minor = BigInt(`${match[1]}${fraction.padEnd(exponent, '0')}`);
  if (minor > MAX_MINOR_UNITS) return tooLarge();
  return ok({ minor, currency: code.value });
}

function tooLarge(): Result<never> {
  return err(domainError('amount_too_large', 'Amount is too large', 'amount'));
}

/** Builds Money from minor units already in hand (e.g. read from the database). */
export function createMoney(minor: bigint, currency: unknown): Result<Money> {
  const code = parseCurrency(currency);
  if (!code.ok) return code;
  if (minor < 0n) return err(domainError('negative_amount', 'Amount cannot be negative', 'amount'));
  if (minor > MAX_MINOR_UNITS) return tooLarge();
  return ok({ minor, currency: code.value });
}

/** "10.50" for 1050 EUR, "1050" for 1050 JPY, "1.050" for 1050 KWD. Inverse of parseMoney. */
export function toDecimalString(money: Money): string {
  const exponent = currencyExponent(money.currency);
  const sign = money.minor < 0n ? '-' : '';
  const digits = (money.minor < 0n ? -money.minor : money.minor).toString();
  if (exponent === 0) return sign + digits;
  const padded = digits.padStart(exponent + 1, '0');
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

function currencyFormat(locale: string, currency: CurrencyCode): Intl.NumberFormat {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency });
  } catch {
    // The locale usually comes from a payer's Accept-Language; a malformed tag must not break the page.
    return new Intl.NumberFormat('en', { style: 'currency', currency });
  }
}

/** Locale-aware display, e.g. "€10.50" (en) or "10,50 €" (de). */
export function formatMoney(money: Money, locale: string): string {
  // Intl formats decimal strings exactly, so amounts past 2^53 keep every digit.
  return currencyFormat(locale, money.currency).format(toDecimalString(money) as `${number}`);
}

export function isZero(money: Money): boolean {
  return money.minor === 0n;
}

export function compareMoney(a: Money, b: Money): Result<-1 | 0 | 1> {
  if (a.currency !== b.currency) {
    return err(domainError('currency_mismatch', `Cannot compare ${a.currency} with ${b.currency}`));
  }
  return ok(a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0);
}
