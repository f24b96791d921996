import { sql } from 'drizzle-orm';

/** The languages a payer can be mailed in: the payment page's locales. */
export const mailLanguages = ['en', 'de', 'fr', 'es', 'nl'] as const;
export type MailLanguage = (typeof mailLanguages)[number];

/** `<column> in ('en', …)` for CHECK constraints: null passes, as CHECK lets it. */
export const mailLanguageCheck = (column: unknown) =>
  sql`${column} in (${sql.raw(mailLanguages.map((l) => `'${l}'`).join(', '))})`;
