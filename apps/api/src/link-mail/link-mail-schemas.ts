import { z } from '@hono/zod-openapi';
import { mailLanguages } from '@paylinks/db';
import { text } from '../http/text-schema.js';

export const sendLinkMailSchema = z
  .strictObject({
    to: z
      .string()
      .trim()
      .toLowerCase()
      .max(254)
      .email()
      .optional()
      .openapi({
        description:
          "Where to send it; defaults to the link's payer email, else the contact's. Mail goes only to an " +
          'address stored for the contact or typed here.',
        example: 'ada@example.com',
      }),
    message: text({ min: 1, max: 2000, multiline: true })
      .optional()
      .openapi({ description: 'A personal note shown above the amount (plain text)' }),
  })
  .openapi('SendLinkMail');

const mailStatus = z.enum(['scheduled', 'queued', 'sent', 'failed', 'cancelled']);

export const linkMailEventSchema = z
  .object({
    event: z.enum(['queued', 'scheduled', 'sent', 'retrying', 'failed', 'cancelled']),
    attempt: z.number().int().openapi({ description: 'Which attempt this was; 0 for queued, scheduled' }),
    smtpAnswer: z
      .string()
      .nullable()
      .openapi({ description: "The mail server's answer to a failed attempt" }),
    detail: z
      .string()
      .nullable()
      .openapi({ description: 'Why it was cancelled: link_paid, link_deleted, link_expired, no_recipient…' }),
    at: z.iso.datetime(),
  })
  .openapi('LinkMailEvent');

export const linkMailSchema = z
  .object({
    id: z.uuid(),
    linkId: z.uuid(),
    kind: z.enum(['link', 'reminder']),
    status: mailStatus,
    recipient: z.string().nullable().openapi({
      description: "Null for a reminder not yet due: it takes the link's last mailed address then",
    }),
    language: z.enum(mailLanguages).nullable(),
    personalMessage: z.string().nullable(),
    remindDaysBefore: z.number().int().nullable(),
    attempts: z.number().int(),
    nextAttemptAt: z.iso
      .datetime()
      .nullable()
      .openapi({ description: 'When a queued or scheduled mail goes' }),
    lastSmtpAnswer: z.string().nullable(),
    sentAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    events: z.array(linkMailEventSchema).openapi({ description: 'Its history, oldest first' }),
  })
  .openapi('LinkMail');

export const linkMailListSchema = z
  .object({ items: z.array(linkMailSchema).openapi({ description: 'Newest first' }) })
  .openapi('LinkMailList');

export const mailSettingsSchema = z
  .object({
    defaultLanguage: z.enum(mailLanguages).openapi({ description: 'For contacts without a language' }),
    defaultReminderDays: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'New links get a reminder this many days before expiry; null: none' }),
    smtpConfigured: z
      .boolean()
      .openapi({ description: 'Whether this server has SMTP_URL, so mail can go out' }),
  })
  .openapi('MailSettings');

export const updateMailSettingsSchema = z
  .strictObject({
    defaultLanguage: z.enum(mailLanguages).optional(),
    defaultReminderDays: z.number().int().min(1).max(365).nullable().optional(),
  })
  .openapi('UpdateMailSettings');
