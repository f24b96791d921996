import { z } from '@hono/zod-openapi';
import { paymentStatuses } from '@paylinks/core';
import { paymentEventSource, refundStatus } from '@paylinks/db';
import { metadataInputSchema, metadataSchema } from '../http/metadata-schema.js';
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
    updatedAt: z.iso.datetime().openapi({ description: 'When anything shown here last changed' }),
    metadata: metadataSchema.openapi({
      description: "Starts as the link's metadata at the click-through; PATCH /api/payments/{id} changes it",
    }),
    confirmedBy: z
      .object({ id: z.string(), name: z.string().nullable() })
      .nullable()
      .openapi({ description: 'The team member who confirmed it manually' }),
    confirmedAt: z.iso.datetime().nullable(),
    refundedAmount: moneySchema.openapi({
      description: 'Money returned to the payer or on its way back (refunds succeeded or pending)',
    }),
    refundableAmount: moneySchema.openapi({
      description: 'What is left to refund: the amount less every refund that did not fail',
    }),
    payerEmail: z
      .string()
      .nullable()
      .openapi({ description: 'What the payer typed at checkout; for the team only, never public' }),
    payerPhone: z.string().nullable().openapi({ description: 'What the payer typed at checkout (E.164)' }),
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
    outcome: z.enum(['created', 'applied', 'refused', 'stale', 'pending', 'duplicate', 'refund']).openapi({
      description:
        'pending: arrived early and waits for the status it follows; refund: money given back (amount, the reason as note, the provider refund as reference)',
    }),
    // A union, not .nullable(): with a description, a nullable reference is drawn as an allOf that refuses null.
    amount: z
      .union([moneySchema, z.null()])
      .openapi({ description: 'For a refund: how much was given back; null for every other event' }),
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

export const refundSchema = z
  .object({
    id: z.uuid(),
    amount: moneySchema,
    reason: z.string().nullable(),
    status: z.enum(refundStatus.enumValues).openapi({
      description:
        'claimed: sent to the provider, answer not yet recorded; pending: the provider settles it later; succeeded: money back (or recorded by hand); failed: refused, nothing returned',
    }),
    manual: z
      .boolean()
      .openapi({ description: 'Recorded by hand: the payment was confirmed by a team member' }),
    providerRefundReference: z.string().nullable(),
    createdBy: z.object({ id: z.string(), name: z.string().nullable() }),
    createdAt: z.iso.datetime(),
  })
  .openapi('Refund');

export const paymentDetailSchema = paymentSchema
  .extend({
    confirmationNote: z.string().nullable(),
    confirmationReference: z.string().nullable(),
    refunds: z.array(refundSchema).openapi({ description: 'Oldest first' }),
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

export const updatePaymentBodySchema = z
  .object({ metadata: metadataInputSchema.openapi({ description: 'Replaces the whole map; {} clears it' }) })
  .strict()
  .openapi('UpdatePayment');

export const confirmLinkBodySchema = z
  .object({ linkId: z.uuid(), ...confirmationFields })
  .strict()
  .openapi('ConfirmLink');

export const refundBodySchema = z
  .object({
    amount: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional().openapi({
      description:
        "In the payment currency's minor units (250 is 2.50 EUR, ¥250, 0.250 KWD); absent: everything left",
      example: 250,
    }),
    reason: text({ max: 500, multiline: true }).optional().openapi({ description: 'Why, for the team' }),
  })
  .strict()
  .openapi('RefundPayment');

export const paymentIdParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }),
});
