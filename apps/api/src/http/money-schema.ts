import { z } from '@hono/zod-openapi';
import { type Money, toDecimalString } from '@paylinks/core';
import { text } from './text-schema.js';

const decimalPattern = /^\d+(\.\d+)?$/;
const currencyPattern = /^[A-Z]{3}$/;

/** Money as the API shows it: a decimal string in the currency's own precision, never a float. */
export const moneySchema = z
  .object({
    amount: z.string().regex(decimalPattern).openapi({ example: '10.50' }),
    currency: z.string().regex(currencyPattern).openapi({ example: 'EUR', description: 'ISO 4217' }),
  })
  .openapi('Money');

export function presentMoney(money: Money): z.infer<typeof moneySchema> {
  return { amount: toDecimalString(money), currency: money.currency };
}

/** Money as clients send it: a decimal string plus an ISO 4217 code; checked with core's parseMoney. */
export const moneyInputSchema = z.object({
  // The patterns are what parseMoney accepts; it refuses the rest with its own codes
  // (invalid_amount, negative_amount, unknown_currency), so they are documented, not enforced here.
  amount: text({ max: 40, trim: false }).openapi({
    example: '10.50',
    pattern: decimalPattern.source,
    description: "Decimal string, at most the currency's decimals",
  }),
  currency: text({ max: 3, trim: false }).openapi({
    example: 'EUR',
    pattern: '^[A-Za-z]{3}$',
    description: 'ISO 4217 code; answered upper-case',
  }),
});
