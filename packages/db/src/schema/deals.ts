import { sql } from 'drizzle-orm';
import { check, foreignKey, index, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import {
  amountMinor,
  createdAt,
  currency,
  currencyCheck,
  id,
  nonNegativeCheck,
  tenantReference,
  timestamptz,
  workspaceId,
} from './columns';
import { contacts } from './contacts';
import { pipelineStages, pipelines } from './pipelines';
import { workspaces } from './workspaces';

export const deals = pgTable(
  'deals',
  {
    id: id(),
    workspaceId: workspaceId(),
    title: text('title').notNull(),
    contactId: uuid('contact_id').notNull(),
    pipelineId: uuid('pipeline_id').notNull(),
    stageId: uuid('stage_id').notNull(),
    /** A deal may have no value yet; when it has one, it has both parts. */
    amountMinor: amountMinor(),
    currency: currency(),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete('cascade'),
    tenantReference('deals_contact_id_fk', t, t.contactId, contacts),
    tenantReference('deals_pipeline_id_fk', t, t.pipelineId, pipelines),
    // The stage must belong to the deal's own pipeline, not just to the workspace.
    foreignKey({
      name: 'deals_stage_in_pipeline_fk',
      columns: [t.workspaceId, t.pipelineId, t.stageId],
      foreignColumns: [pipelineStages.workspaceId, pipelineStages.pipelineId, pipelineStages.id],
    }),
    unique('deals_workspace_id_id_unique').on(t.workspaceId, t.id),
    check('deals_amount_with_currency', sql`(${t.amountMinor} is null) = (${t.currency} is null)`),
    nonNegativeCheck('deals', t.amountMinor),
    currencyCheck('deals', t.currency),
    index('deals_workspace_created_idx').on(t.workspaceId, t.createdAt, t.id),
    index('deals_workspace_contact_idx').on(t.workspaceId, t.contactId),
    index('deals_workspace_pipeline_stage_idx').on(t.workspaceId, t.pipelineId, t.stageId),
  ],
);
