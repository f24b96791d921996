import {
  type CurrencyCode,
  createMoney,
  currencyExponent,
  isKnownCurrency,
  type Money,
  toDecimalString,
} from '@paylinks/core';

/** The sandbox's wire format for an amount, shaped like most real providers': a decimal string. */
export type SandboxAmount = { amount: string; currency: CurrencyCode };

export function toSandboxAmount(money: Money): SandboxAmount {
  return { amount: toDecimalString(money), currency: money.currency };
}

/**
 * Strict on purpose: exactly the currency's number of decimals ("10.50" EUR, "1050" JPY,
 * "1.050" KWD). A provider that sends "10.5" or "1050.00" JPY is not speaking its own format,
 * and guessing what it meant is how amounts end up off by a factor of 100.
 */
export function fromSandboxAmount(wire: SandboxAmount): Money | undefined {
  if (!isKnownCurrency(wire.currency)) return undefined;
  const exponent = currencyExponent(wire.currency);
  const pattern = exponent === 0 ? /^\d+$/ : new RegExp(`^\\d+\\.\\d{${exponent}}$`);
  // Length cap before BigInt: the body comes from outside, and a megabyte of digits is not an amount.
  if (wire.amount.length > 32 || !pattern.test(wire.amount)) return undefined;
  const money = createMoney(BigInt(wire.amount.replace('.', '')), wire.currency);
  return money.ok ? money.value : undefined;
}
