import { z } from '@hono/zod-openapi';
import { paymentStatuses } from '@paylinks/core';
import { moneySchema } from '../http/money-schema.js';
import { text } from '../http/text-schema.js';

export const tags = ['Payment page'];

export const tokenParams = z.object({
  token: text({ max: 200, trim: false }).openapi({
    param: { name: 'token', in: 'path' },
    example: 'q3Vx0mS1yZ8tQpW4aB7cDe',
  }),
});

export const publicLinkSchema = z
  .object({
    method: z.object({ displayName: z.string() }),
    description: z.string(),
    amount: moneySchema,
    state: z.enum(['active']),
    daysLeft: z.number().int().nullable().openapi({ description: 'Null: the link does not expire' }),
    expiresAt: z.iso
      .datetime()
      .nullable()
      .openapi({ description: 'When the link stops taking payment, for the deadline shown up front' }),
    testMode: z.boolean().openapi({ description: 'The method takes test cards only; label the page so' }),
    checkoutFields: z
      .array(z.string())
      .openapi({ description: 'Fields the provider collects on this page (the sandbox: card fields)' }),
    paymentId: z
      .uuid()
      .nullable()
      .openapi({ description: 'The payment this visit started (or resumed); null when none was recorded' }),
  })
  .openapi('PublicPaymentLink');

export const checkoutBody = z
  .strictObject({
    paymentId: z
      .uuid()
      .nullish()
      .openapi({
        description:
          'The payment the view answered. Null or absent when the view recorded none (a burst beyond ' +
          "the link's click-through cap): checkout then records the payment.",
      }),
    email: z.string().trim().toLowerCase().max(254).email().openapi({ example: 'payer@example.com' }),
    phone: text({ min: 1, max: 40 }).openapi({ example: '+31 6 12345678' }),
    defaultCountry: z
      .string()
      .regex(/^[A-Za-z]{2}$/)
      .optional()
      .openapi({ description: 'ISO 3166-1 alpha-2 country a national phone number is dialled in' }),
    card: z
      .record(text({ max: 40, trim: false }), text({ max: 40, trim: false }))
      .optional()
      .openapi({
        description: "The provider's own fields (the sandbox: cardNumber, expiry, cvc). Never stored.",
      }),
  })
  .openapi('StartCheckout');

const statusSchema = z.enum(paymentStatuses);

export const checkoutResultSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('redirect'), redirectUrl: z.string(), paymentId: z.uuid() }),
    z.object({
      kind: z.literal('result'),
      status: statusSchema,
      statusLabel: z.string(),
      paymentId: z.uuid(),
    }),
  ])
  .openapi('CheckoutResult');

export const statusQuery = z.object({
  payment: z.uuid().openapi({ param: { name: 'payment', in: 'query' } }),
});

export const publicPaymentStatusSchema = z
  .object({
    paymentId: z.uuid(),
    status: statusSchema,
    statusLabel: z.string(),
    description: z.string(),
    amount: moneySchema,
  })
  .openapi('PublicPaymentStatus');
