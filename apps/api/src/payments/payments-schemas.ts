import { z } from '@hono/zod-openapi';
import { paymentStatuses } from '@paylinks/core';
import { paymentEventSource } from '@paylinks/db';
import { moneySchema } from '../http/money-schema.js';
import { text } from '../http/text-schema.js';

const status = z.enum(paymentStatuses);

export const paymentSchema = z
  .object({
    id: z.uuid(),
    status,
    statusLabel: z.string().openapi({ example: 'Confirmed by team member' }),
    amount: moneySchema,
    description: z.string(),
    method: z.object({ id: z.uuid(), displayName: z.string(), providerId: z.string() }),
    contact: z.object({ id: z.uuid(), name: z.string() }),
    dealId: z.uuid().nullable(),
    linkId: z.uuid(),
    late: z
      .boolean()
      .openapi({ description: 'A success that arrived after the link expired or was deleted' }),
    duplicate: z.boolean().openapi({
      description: 'A second success on a deal link another payment had already paid: refund it',
    }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    confirmedBy: z
      .object({ id: z.string(), name: z.string().nullable() })
      .nullable()
      .openapi({ description: 'The team member who confirmed it manually' }),
    confirmedAt: z.iso.datetime().nullable(),
  })
  .openapi('Payment');

export const paymentPageSchema = z
  .object({ items: z.array(paymentSchema), nextCursor: z.string().nullable() })
  .openapi('PaymentPage');

export const paymentTotalsSchema = z
  .object({
    totals: z.array(
      z.object({
        amount: moneySchema.openapi({ description: 'The sum of the amounts in this currency' }),
        count: z.number().int().openapi({ description: 'How many payments it adds up' }),
      }),
    ),
  })
  .openapi('PaymentTotals');

export const paymentEventSchema = z
  .object({
    id: z.uuid(),
    from: status.nullable().openapi({ description: 'Null for the event that created the payment' }),
    to: status.nullable().openapi({ description: 'Null when the event changed nothing' }),
    toLabel: z.string().nullable(),
    outcome: z
      .enum(['created', 'applied', 'refused', 'stale', 'pending', 'duplicate'])
      .openapi({ description: 'pending: arrived early and waits for the status it follows' }),
    received: status
      .nullable()
      .openapi({ description: 'The status reported, for events that changed nothing' }),
    source: z.enum(paymentEventSource.enumValues),
    actor: z
      .object({ id: z.string(), name: z.string().nullable() })
      .nullable()
      .openapi({ description: 'A team member (with name) or a provider id' }),
    providerEventId: z.string().nullable(),
    note: z.string().nullable(),
    reference: z.string().nullable(),
    at: z.iso.datetime(),
  })
  .openapi('PaymentEvent');

export const paymentDetailSchema = paymentSchema
  .extend({
    confirmationNote: z.string().nullable(),
    confirmationReference: z.string().nullable(),
    events: z.array(paymentEventSchema).openapi({ description: 'Oldest first' }),
  })
  .openapi('PaymentDetail');

const confirmationFields = {
  note: text({ max: 1000, multiline: true })
    .optional()
    .openapi({ description: 'Why, or how the money arrived' }),
  reference: text({ max: 200 }).optional().openapi({ description: 'e.g. the bank transfer reference' }),
};

export const confirmBodySchema = z.object(confirmationFields).strict().openapi('ConfirmPayment');

export const confirmLinkBodySchema = z
  .object({ linkId: z.uuid(), ...confirmationFields })
  .strict()
  .openapi('ConfirmLink');

export const paymentIdParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }),
});
