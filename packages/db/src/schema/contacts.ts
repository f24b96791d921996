import { sql } from 'drizzle-orm';
import { check, foreignKey, index, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, id, timestamptz, workspaceId } from './columns';
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
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete('cascade'),
    // Target of the composite foreign keys that stop a row pointing at another tenant's contact.
    unique('contacts_workspace_id_id_unique').on(t.workspaceId, t.id),
    check('contacts_phone_e164', sql`${t.phone} ~ '^\\+[1-9][0-9]{1,14}$'`),
    index('contacts_workspace_created_idx').on(t.workspaceId, t.createdAt, t.id),
    // Case-insensitive prefix search; text_pattern_ops keeps LIKE 'abc%' indexable under any collation.
    index('contacts_workspace_name_search_idx').on(t.workspaceId, sql`lower(${t.name}) text_pattern_ops`),
    index('contacts_workspace_email_search_idx').on(t.workspaceId, sql`lower(${t.email}) text_pattern_ops`),
  ],
);
