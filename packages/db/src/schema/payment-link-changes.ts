import { sql } from 'drizzle-orm';
import { check, foreignKey, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { id, tenantReference, timestamptz, workspaceId } from './columns';
import { paymentLinks } from './payment-links';
import { workspaces } from './workspaces';

/**
 * A link's edit history, append-only: one row per field an edit changed, with the value before and
 * after (JSON, shaped by the field), who changed it and when. Rows of one edit share `changed_at`.
 */
export const paymentLinkChanges = pgTable(
  'payment_link_changes',
  {
    id: id(),
    workspaceId: workspaceId(),
    linkId: uuid('link_id').notNull(),
    /** 'description', 'validity', 'amount' or 'reminder'; the API owns the list, so no enum. */
    field: text('field').notNull(),
    fromValue: jsonb('from_value').notNull(),
    toValue: jsonb('to_value').notNull(),
    /** User id of the team member (or the API key's user) who made the edit. */
    changedBy: text('changed_by').notNull(),
    changedAt: timestamptz('changed_at').notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete('cascade'),
    tenantReference('payment_link_changes_link_id_fk', t, t.linkId, paymentLinks),
    check(
      'payment_link_changes_field_known',
      sql`${t.field} in ('description', 'validity', 'amount', 'reminder')`,
    ),
    index('payment_link_changes_link_idx').on(t.workspaceId, t.linkId, t.changedAt),
  ],
);
