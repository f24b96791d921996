import { z } from '@hono/zod-openapi';
import { linkOrigins, MAX_VALIDITY_DAYS } from '@paylinks/core';
import { metadataInputSchema, metadataSchema } from '../http/metadata-schema.js';
import { moneyInputSchema, moneySchema } from '../http/money-schema.js';
import { pageQuerySchema } from '../http/pagination.js';
import { text } from '../http/text-schema.js';
import { pauseReasons } from '../public-pay/checkout-budget.js';
import { updatedSinceQuery } from '../sync/sync-page.js';

export const createPaymentLinkSchema = moneyInputSchema
  .extend({
    // Required for a custom link; a plugin type's option sets them and what is sent is ignored.
    amount: moneyInputSchema.shape.amount
      .optional()
      .openapi({ description: 'Required for type "custom"; ignored for a plugin type (the option sets it)' }),
    currency: moneyInputSchema.shape.currency
      .optional()
      .openapi({ description: 'Required for type "custom"; ignored for a plugin type' }),
    origin: z.enum(linkOrigins).openapi({ description: 'Where the link is made: a contact card or a deal' }),
    contactId: z.uuid().optional().openapi({ description: 'Required when origin is "contact"' }),
    dealId: z
      .uuid()
      .optional()
      .openapi({ description: 'Required when origin is "deal"; the payer is the deal\'s contact' }),
    type: text({ max: 64, trim: false })
      .default('custom')
      .openapi({ description: '"custom", or the id of an installed payment-type plugin' }),
    courseId: z
      .uuid()
      .optional()
      .openapi({ description: 'Required for type "edu": a paid, published course of this workspace' }),
    description: text({ min: 1, max: 500, multiline: true })
      .optional()
      .openapi({ description: 'Shown to the payer; required for "custom", ignored for a plugin type' }),
    payerName: text({ min: 1, max: 200 })
      .optional()
      .openapi({ description: "Defaults to the contact's name" }),
    payerEmail: z.email().max(254).optional().openapi({ description: "Defaults to the contact's email" }),
    methodId: z.uuid().openapi({ description: 'A connected, enabled payment method of this workspace' }),
    // Checked by core's parseValidityDays, so the refusal names the same rule everywhere.
    validityDays: z
      .union([z.number(), text({ max: 20 }), z.null()])
      .default(null)
      .openapi({
        description: `Whole days the link stays payable (1–${MAX_VALIDITY_DAYS}); null or absent means unlimited`,
        example: 7,
      }),
    remindDaysBefore: z
      .number()
      .int()
      .min(1)
      .max(365)
      .nullable()
      .optional()
      .openapi({
        description:
          'Email the payer once, this many days before the link expires, if it is still unpaid (fewer than ' +
          "validityDays). Absent: the workspace's default reminder (GET /api/mail-settings); null: none.",
        example: 2,
      }),
    metadata: metadataInputSchema
      .optional()
      .openapi({ description: 'Copied onto every payment of the link at its click-through' }),
  })
  .strict();

const linkFields = createPaymentLinkSchema.omit({ origin: true, contactId: true, dealId: true });

/**
 * The body as the document shows it: which id goes with which origin is a discriminated union. The
 * route validates with the flat schema above, so a wrong pairing is refused by the use case with
 * its own codes (`not_allowed_for_origin`, `required`) and the field at fault.
 */
export const createPaymentLinkDocumented = z
  .discriminatedUnion('origin', [
    linkFields
      .extend({
        origin: z.literal('contact').openapi({ description: 'Made on a contact card' }),
        contactId: z.uuid().openapi({ description: 'The payer' }),
      })
      .strict()
      .openapi('CreateContactPaymentLink'),
    linkFields
      .extend({
        origin: z.literal('deal').openapi({ description: 'Made on a deal' }),
        dealId: z.uuid().openapi({ description: "The deal; the payer is the deal's contact" }),
      })
      .strict()
      .openapi('CreateDealPaymentLink'),
  ])
  .openapi('CreatePaymentLink');

export type CreatePaymentLinkInput = z.infer<typeof createPaymentLinkSchema>;

export const linkStates = ['active', 'expired', 'paid', 'deleted'] as const;

export const reminderStatuses = ['scheduled', 'queued', 'sent', 'failed', 'cancelled'] as const;

export const paymentLinkSchema = z
  .object({
    id: z.uuid(),
    url: z.url().openapi({ description: 'The public payment page to share with the payer' }),
    origin: z.enum(linkOrigins),
    type: z.string(),
    description: z.string(),
    payer: z.object({ name: z.string().nullable(), email: z.string().nullable() }),
    method: z.object({ id: z.uuid(), displayName: z.string() }),
    amount: moneySchema,
    validityDays: z.number().int().nullable().openapi({ description: 'null: unlimited' }),
    expiresAt: z.iso.datetime().nullable(),
    daysLeft: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Started days until expiry; 0 once expired; null when unlimited' }),
    state: z.enum(linkStates).openapi({
      description:
        'paid: a deal link with a successful payment (contact links stay active); deleted wins over paid, paid over expired',
    }),
    contactId: z.uuid(),
    dealId: z.uuid().nullable(),
    removedFromDealAt: z.iso
      .datetime()
      .nullable()
      .openapi({ description: 'When a successful payment took the link off its deal; it stays in history' }),
    createdAt: z.iso.datetime(),
    createdBy: z.string().openapi({ description: 'User id of the team member who made it' }),
    deletedAt: z.iso.datetime().nullable(),
    checkoutPaused: z
      .object({ at: z.iso.datetime(), reason: z.enum(pauseReasons) })
      .nullable()
      .openapi({
        description:
          'Set when checkout stopped after too many failed attempts in an hour (card testing): the payment ' +
          'page tells payers to contact the sender until an owner or admin resumes checkout',
      }),
    unrecordedClickThroughs: z.number().int().openapi({
      description:
        "Visits beyond the link's per-minute click-through cap: counted here, not stored as payments",
    }),
    reminder: z
      .object({
        daysBefore: z.number().int().openapi({ description: 'Days before expiry the payer is reminded' }),
        status: z.enum(reminderStatuses).openapi({
          description:
            'scheduled: still to come; queued: due, being retried; sent; failed; cancelled: the link was paid, ' +
            'deleted, expired or made unlimited first. Follows the mail job, which does not move updatedAt.',
        }),
        dueAt: z.iso.datetime().nullable().openapi({ description: 'When a scheduled reminder goes' }),
      })
      .nullable()
      .openapi({
        description:
          'The reminder email before expiry (remindDaysBefore when creating or editing the link); null: none, or ' +
          'switched off. Its history is in GET /api/payment-links/{id}/mails.',
      }),
    updatedAt: z.iso.datetime().openapi({ description: 'When anything shown here last changed' }),
    metadata: metadataSchema,
  })
  .openapi('PaymentLink');

export type PaymentLinkView = z.infer<typeof paymentLinkSchema>;

export const listPaymentLinksQuerySchema = pageQuerySchema
  .extend({
    contactId: z.uuid().optional().openapi({ description: "A contact's links (its Payments tab)" }),
    dealId: z
      .uuid()
      .optional()
      .openapi({ description: "A deal's links, including those taken off it after payment" }),
    ...updatedSinceQuery,
  })
  .openapi('ListPaymentLinksQuery');

export const paymentLinkPageSchema = z
  .object({
    items: z.array(paymentLinkSchema),
    nextCursor: z.string().nullable().openapi({
      description: 'Pass as `cursor` for the next page; null at the end (never null with updatedSince)',
    }),
  })
  .openapi('PaymentLinkPage');

export const linkIdParamSchema = z.object({ id: z.uuid() });

export const updatePaymentLinkSchema = z
  .object({
    description: text({ min: 1, max: 500, multiline: true })
      .optional()
      .openapi({ description: 'Shown to the payer from the next page view on' }),
    validityDays: z
      .union([z.number(), text({ max: 20 }), z.null()])
      .optional()
      .openapi({
        description:
          `Whole days (1–${MAX_VALIDITY_DAYS}) counted from the link's creation, as when it was made; ` +
          'null means unlimited. Refused when those days have already passed (`validity_elapsed`).',
        example: 14,
      }),
    amount: moneyInputSchema.shape.amount.optional().openapi({
      description:
        'Only while nobody has opened the link (no click-through): else 409 `amount_locked`. Sent with currency.',
    }),
    currency: moneyInputSchema.shape.currency
      .optional()
      .openapi({ description: 'Sent with amount; the method must take it' }),
    metadata: metadataInputSchema.optional().openapi({
      description:
        'Replaces the whole map ({} clears it); payments already recorded keep theirs. Not part of `history`.',
    }),
    remindDaysBefore: createPaymentLinkSchema.shape.remindDaysBefore.openapi({
      description:
        'Moves the reminder email to this many days before expiry (fewer than validityDays, and not a day that ' +
        'has passed), or schedules one; null switches it off. A link is reminded once: refused once its ' +
        'reminder is due or sent (409 `reminder_already_sent`), and for an unlimited (`reminder_needs_expiry`) ' +
        'or paid (`reminder_link_paid`) link.',
      example: 3,
    }),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'Send at least one field to change.' })
  .openapi('UpdatePaymentLink', {
    description:
      'Description, validity, amount with currency, the reminder, and metadata; method, payer and origin stay',
    minProperties: 1,
  });

export type UpdatePaymentLinkInput = z.infer<typeof updatePaymentLinkSchema>;

export const linkChangeFields = ['description', 'validity', 'amount', 'reminder'] as const;
export type LinkChangeField = (typeof linkChangeFields)[number];

const validityValue = z
  .object({
    validityDays: z.number().int().nullable().openapi({ description: 'null: unlimited' }),
    expiresAt: z.iso.datetime().nullable(),
  })
  .openapi('LinkValidity');

const reminderValue = z
  .object({ remindDaysBefore: z.number().int().nullable().openapi({ description: 'null: no reminder' }) })
  .openapi('LinkReminderSetting');

const changeBase = {
  id: z.uuid(),
  changedBy: z.string().openapi({ description: 'User id of the team member who made the edit' }),
  changedAt: z.iso.datetime(),
};

export const linkChangeSchema = z
  .discriminatedUnion('field', [
    z.object({ ...changeBase, field: z.literal('description'), from: z.string(), to: z.string() }),
    z.object({ ...changeBase, field: z.literal('validity'), from: validityValue, to: validityValue }),
    z.object({ ...changeBase, field: z.literal('amount'), from: moneySchema, to: moneySchema }),
    z.object({ ...changeBase, field: z.literal('reminder'), from: reminderValue, to: reminderValue }),
  ])
  .openapi('PaymentLinkChange');

export type LinkChangeView = z.infer<typeof linkChangeSchema>;

export const paymentLinkDetailSchema = paymentLinkSchema
  .extend({
    history: z.array(linkChangeSchema).openapi({
      description:
        'Every edit, newest first: one entry per field an edit changed (entries of one edit share changedAt)',
    }),
  })
  .openapi('PaymentLinkDetail');
