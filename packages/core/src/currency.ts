import { domainError, err, ok, type Result } from './domain-error.js';

/** ISO 4217 alphabetic code, upper-case (e.g. "EUR"). */
export type CurrencyCode = string;

let known: ReadonlySet<string> | undefined;
const exponents = new Map<string, number>();

// Intl is the single source of truth so that the exponent we store with and the one we display with
// can never disagree. Intl accepts any well-formed code ("XXY"), hence the explicit membership check.
function knownCurrencies(): ReadonlySet<string> {
  known ??= new Set(Intl.supportedValuesOf('currency'));
  return known;
}

export function supportedCurrencies(): readonly CurrencyCode[] {
  return [...knownCurrencies()];
}

export function isKnownCurrency(code: string): code is CurrencyCode {
  return knownCurrencies().has(code);
}

/** Number of minor-unit digits: JPY 0, EUR 2, KWD 3. Only meaningful for a known currency. */
export function currencyExponent(currency: CurrencyCode): number {
  let exponent = exponents.get(currency);
  if (exponent === undefined) {
    exponent = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits as number;
    exponents.set(currency, exponent);
  }
  return exponent;
}

// Lower-case input is unambiguous, so it is normalised rather than refused; anything with spaces or
// the wrong length is refused because silently trimming would hide a broken client.
export function parseCurrency(input: unknown, field = 'currency'): Result<CurrencyCode> {
  if (typeof input === 'string' && /^[A-Za-z]{3}$/.test(input)) {
    const code = input.toUpperCase();
    if (isKnownCurrency(code)) return ok(code);
  }
  return err(domainError('unknown_currency', `Unknown currency ${JSON.stringify(input)}`, field));
}
