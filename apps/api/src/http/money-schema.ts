import { z } from '@hono/zod-openapi';
import { type Money, toDecimalString } from '@paylinks/core';
import { text } from './text-schema.js';

/** Money as the API shows it: a decimal string in the currency's own precision, never a float. */
export const moneySchema = z
  .object({
    amount: z.string().openapi({ example: '10.50' }),
    currency: z.string().length(3).openapi({ example: 'EUR' }),
  })
  .openapi('Money');

export function presentMoney(money: Money): z.infer<typeof moneySchema> {
  return { amount: toDecimalString(money), currency: money.currency };
}

/** Money as clients send it: a decimal string plus an ISO 4217 code; checked with core's parseMoney. */
export const moneyInputSchema = z.object({
  amount: text({ max: 40, trim: false }).openapi({
    example: '10.50',
    description: "Decimal string, at most the currency's decimals",
  }),
  currency: text({ max: 3, trim: false }).openapi({ example: 'EUR' }),
});
