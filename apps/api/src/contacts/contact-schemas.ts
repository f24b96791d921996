import { z } from '@hono/zod-openapi';
import { type MailLanguage, mailLanguages } from '@paylinks/db';
import { externalIdSchema } from '../http/external-id-schema.js';
import { metadataInputSchema, metadataSchema, presentMetadata } from '../http/metadata-schema.js';
import { pageQuerySchema } from '../http/pagination.js';
import { text } from '../http/text-schema.js';
import { updatedSinceQuery } from '../sync/sync-page.js';

export const contactSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    email: z.string().nullable().openapi({ description: 'Lower-cased' }),
    phone: z
      .string()
      .nullable()
      .openapi({ description: 'E.164, e.g. +31612345678', example: '+31612345678' }),
    language: z.enum(mailLanguages).nullable().openapi({
      description: "The language of payment-link mail to this contact; null: the workspace's default",
    }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime().openapi({ description: 'When anything shown here last changed' }),
    metadata: metadataSchema,
    externalId: z.string().nullable().openapi({ description: 'Your own id for this contact' }),
  })
  .openapi('Contact');

export const contactPageSchema = z
  .object({
    items: z.array(contactSchema),
    nextCursor: z.string().nullable().openapi({
      description: 'Pass as cursor for the next page; null at the end (never null with updatedSince)',
    }),
  })
  .openapi('ContactPage');

const name = text({ min: 1, max: 200 }).openapi({ example: 'Ada Lovelace' });
// Trim and lower-case before the format check, so " Ada@Example.com " is accepted and stored once.
const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .email()
  .nullable()
  .openapi({ example: 'ada@example.com' });
const phone = text({ min: 1, max: 40 }).nullable().openapi({
  description: 'International (+31 6 12345678), or national with defaultCountry',
  example: '+31 6 12345678',
});
const defaultCountry = z
  .string()
  .regex(/^[A-Za-z]{2}$/)
  .openapi({
    description: 'ISO 3166-1 alpha-2 country a national phone number is dialled in',
    example: 'NL',
  });

const language = z.enum(mailLanguages).nullable().openapi({
  description: "Payment-link mail to this contact is written in it; null: the workspace's default",
});

// Duplicate emails in a workspace are allowed: two people can share an office address, and a CRM
// that refuses the second contact loses it; the UI may warn instead.
export const createContactSchema = z
  .strictObject({
    name,
    email: email.optional(),
    phone: phone.optional(),
    language: language.optional(),
    defaultCountry: defaultCountry.optional(),
    metadata: metadataInputSchema.optional(),
    externalId: externalIdSchema.optional(),
  })
  .openapi('CreateContact');

/** Only the fields sent change; null clears email or phone. */
export const updateContactSchema = z
  .strictObject({
    name: name.optional(),
    email: email.optional(),
    phone: phone.optional(),
    language: language.optional(),
    defaultCountry: defaultCountry.optional(),
    metadata: metadataInputSchema.optional().openapi({ description: 'Replaces the whole map; {} clears it' }),
    externalId: externalIdSchema.nullable().optional(),
  })
  .openapi('UpdateContact');

export const contactIdParams = z.object({
  id: z
    .uuid()
    .openapi({ param: { name: 'id', in: 'path' }, example: '0b6f1c2e-3a4d-4e5f-8a9b-0c1d2e3f4a5b' }),
});

export const contactListQuery = pageQuerySchema.extend({
  q: text({ max: 200 })
    .optional()
    .openapi({ description: 'Case-insensitive text in the name or email, or digits of the phone number' }),
  email: text({ max: 254 })
    .optional()
    .openapi({ description: 'Exact lookup: contacts with this email, compared case-insensitively' }),
  externalId: externalIdSchema
    .optional()
    .openapi({ description: 'Exact lookup: the contact with this externalId' }),
  ...updatedSinceQuery,
});

export type ContactRow = {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  language: string | null;
  createdAt: Date;
  updatedAt: Date;
  metadata: unknown;
  externalId: string | null;
};

export function presentContact(row: ContactRow): z.infer<typeof contactSchema> {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    language: row.language as MailLanguage | null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    metadata: presentMetadata(row.metadata),
    externalId: row.externalId,
  };
}
