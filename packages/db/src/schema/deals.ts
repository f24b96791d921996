import { sql } from 'drizzle-orm';
import { check, foreignKey, index, jsonb, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
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
    // Integrations (issue 14): the integrator's own key/value pairs (flat strings, bounded by the API)
    // and their id for this deal, unique per workspace so a CRM sync can find it again.
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    externalId: text('external_id'),
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
    // Integrations (issue 14): incremental sync walks (updated_at, id); external ids are unique per tenant.
    index('deals_workspace_updated_idx').on(t.workspaceId, t.updatedAt, t.id),
    unique('deals_workspace_external_id_unique').on(t.workspaceId, t.externalId),
    check('deals_metadata_object', sql`jsonb_typeof(${t.metadata}) = 'object'`),
  ],
);
