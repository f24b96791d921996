import { z } from '@hono/zod-openapi';
import { pageQuerySchema } from '../http/pagination.js';
import { text } from '../http/text-schema.js';

export const contactSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    email: z.string().nullable().openapi({ description: 'Lower-cased' }),
    phone: z
      .string()
      .nullable()
      .openapi({ description: 'E.164, e.g. +31612345678', example: '+31612345678' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Contact');

export const contactPageSchema = z
  .object({
    items: z.array(contactSchema),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as cursor for the next page; null at the end' }),
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

// Duplicate emails in a workspace are allowed: two people can share an office address, and a CRM
// that refuses the second contact loses it; the UI may warn instead.
export const createContactSchema = z
  .strictObject({
    name,
    email: email.optional(),
    phone: phone.optional(),
    defaultCountry: defaultCountry.optional(),
  })
  .openapi('CreateContact');

/** Only the fields sent change; null clears email or phone. */
export const updateContactSchema = z
  .strictObject({
    name: name.optional(),
    email: email.optional(),
    phone: phone.optional(),
    defaultCountry: defaultCountry.optional(),
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
});

export type ContactRow = {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  createdAt: Date;
  updatedAt: Date;
};

export function presentContact(row: ContactRow): z.infer<typeof contactSchema> {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
