import { sql } from 'drizzle-orm';
import { check, foreignKey, index, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, id, timestamptz, workspaceId } from './columns';
import { mailLanguageCheck } from './mail-languages';
import { workspaces } from './workspaces';

export const contacts = pgTable(
  'contacts',
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    email: text('email'),
    /** E.164, normalised before it gets here. */
    phone: text('phone'),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    // Integrations (issue 14): the integrator's own key/value pairs (flat strings, bounded by the API)
    // and their id for this contact, unique per workspace so a CRM sync can find it again.
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    externalId: text('external_id'),
    // Link mail (issue 15): the language payment-link mail to this contact is written in; null: the
    // workspace's default.
    language: text('language'),
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete('cascade'),
    // Target of the composite foreign keys that stop a row pointing at another tenant's contact.
    unique('contacts_workspace_id_id_unique').on(t.workspaceId, t.id),
    check('contacts_phone_e164', sql`${t.phone} ~ '^\\+[1-9][0-9]{1,14}$'`),
    // link mail (issue 15)
    check('contacts_language_known', mailLanguageCheck(t.language)),
    index('contacts_workspace_created_idx').on(t.workspaceId, t.createdAt, t.id),
    // Integrations (issue 14): incremental sync walks (updated_at, id); external ids are unique per tenant.
    index('contacts_workspace_updated_idx').on(t.workspaceId, t.updatedAt, t.id),
    unique('contacts_workspace_external_id_unique').on(t.workspaceId, t.externalId),
    check('contacts_metadata_object', sql`jsonb_typeof(${t.metadata}) = 'object'`),
    // Case-insensitive prefix search; text_pattern_ops keeps LIKE 'abc%' indexable under any collation.
    index('contacts_workspace_name_search_idx').on(t.workspaceId, sql`lower(${t.name}) text_pattern_ops`),
    index('contacts_workspace_email_search_idx').on(t.workspaceId, sql`lower(${t.email}) text_pattern_ops`),
  ],
);
