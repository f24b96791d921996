import {
  type CurrencyCode,
  createMoney,
  currencyExponent,
  type Money,
  toDecimalString,
} from '@paylinks/core';

/** Mollie's wire format for an amount: a decimal string with exactly the currency's decimals. */
export type MollieAmount = { currency: string; value: string };

/**
 * The currencies Mollie takes, with the decimal places its documentation gives for each
 * (docs.mollie.com, "Multicurrency"). None has three decimals: Mollie takes no KWD, BHD or JOD, so a
 * link in those is refused when it is created.
 */
export const mollieCurrencyDecimals: Readonly<Record<string, number>> = {
  AED: 2,
  AUD: 2,
  BGN: 2,
  BRL: 2,
  CAD: 2,
  CHF: 2,
  CZK: 2,
  DKK: 2,
  EUR: 2,
  GBP: 2,
  HKD: 2,
  HUF: 2,
  ILS: 2,
  ISK: 0,
  JPY: 0,
  MXN: 2,
  MYR: 2,
  NOK: 2,
  NZD: 2,
  PHP: 2,
  PLN: 2,
  RON: 2,
  SEK: 2,
  SGD: 2,
  THB: 2,
  TWD: 2,
  USD: 2,
  ZAR: 2,
};

export const mollieCurrencies: readonly CurrencyCode[] = Object.keys(mollieCurrencyDecimals);

/**
 * Mollie's decimals for a currency. Never fewer than core's exponent (a test checks), but sometimes
 * more: Mollie takes HUF with 2 decimals where ICU, and so core, counts whole forints.
 */
function decimalsAt(currency: CurrencyCode): number {
  return mollieCurrencyDecimals[currency] ?? currencyExponent(currency);
}

/** "10.50" EUR, "1050" JPY, "1000.00" HUF: core's minor units written with Mollie's decimals. */
export function toMollieAmount(money: Money): MollieAmount {
  const padding = decimalsAt(money.currency) - currencyExponent(money.currency);
  const value = toDecimalString(money);
  if (padding <= 0) return { currency: money.currency, value };
  const zeros = '0'.repeat(padding);
  return { currency: money.currency, value: value.includes('.') ? value + zeros : `${value}.${zeros}` };
}

/**
 * Strict on purpose: exactly Mollie's number of decimals for the currency. A body that sends "10.5"
 * EUR or "1050.00" JPY is not Mollie speaking its own format, and guessing is how amounts end up
 * 100x off. Digits core cannot hold (HUF fillér) are refused too, rather than rounded away.
 */
export function fromMollieAmount(amount: MollieAmount | undefined | null): Money | undefined {
  if (!amount || typeof amount.value !== 'string') return undefined;
  const decimals = mollieCurrencyDecimals[amount.currency];
  if (decimals === undefined) return undefined;
  const pattern = decimals === 0 ? /^\d+$/ : new RegExp(`^\\d+\\.\\d{${decimals}}$`);
  // Length cap before BigInt: the value comes from outside, and a megabyte of digits is not an amount.
  if (amount.value.length > 32 || !pattern.test(amount.value)) return undefined;
  const atMollie = BigInt(amount.value.replace('.', ''));
  const scale = 10n ** BigInt(decimals - currencyExponent(amount.currency));
  if (scale < 1n || atMollie % scale !== 0n) return undefined;
  const money = createMoney(atMollie / scale, amount.currency);
  return money.ok ? money.value : undefined;
}

/** Minor units of an optional amount, 0 when Mollie leaves it out or sends it in another currency. */
export function minorOf(amount: MollieAmount | undefined | null, currency: CurrencyCode): bigint {
  const money = fromMollieAmount(amount);
  return money && money.currency === currency ? money.minor : 0n;
}
