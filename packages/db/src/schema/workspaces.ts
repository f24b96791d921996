import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { mailLanguageCheck } from './mail-languages';

/**
 * The tenant. Every other table carries its id, and composite keys keep rows inside it.
 * better-auth's organization plugin uses this table as its `organization` model, hence slug,
 * logo and metadata.
 */
export const workspaces = pgTable(
  'workspaces',
  {
    id: id(),
    name: text('name').notNull(),
    slug: text('slug').notNull().unique('workspaces_slug_unique'),
    logo: text('logo'),
    metadata: text('metadata'),
    createdAt: createdAt(),
    // --- link mail (issue 15) ---
    /** The language of payment-link mail to a contact who has none set. */
    defaultLanguage: text('default_language').notNull().default('en'),
    /** New links get a reminder this many days before they expire; null: no reminder unless asked. */
    defaultReminderDays: integer('default_reminder_days'),
    // --- end link mail ---
  },
  (t) => [
    // link mail (issue 15)
    check('workspaces_default_language_known', mailLanguageCheck(t.defaultLanguage)),
    check('workspaces_default_reminder_days_range', sql`${t.defaultReminderDays} between 1 and 365`),
  ],
);
