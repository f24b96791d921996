import { foreignKey, pgTable, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantReference, workspaceId } from './columns';
import { paymentStatus } from './enums';
import { pipelineStages, pipelines } from './pipelines';
import { workspaces } from './workspaces';

/** "When a payment on a deal in this pipeline reaches `status`, move the deal to this stage." */
export const stageAutomations = pgTable(
  'stage_automations',
  {
    id: id(),
    workspaceId: workspaceId(),
    pipelineId: uuid('pipeline_id').notNull(),
    status: paymentStatus('status').notNull(),
    targetStageId: uuid('target_stage_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete('cascade'),
    tenantReference('stage_automations_pipeline_id_fk', t, t.pipelineId, pipelines).onDelete('cascade'),
    foreignKey({
      name: 'stage_automations_stage_in_pipeline_fk',
      columns: [t.workspaceId, t.pipelineId, t.targetStageId],
      foreignColumns: [pipelineStages.workspaceId, pipelineStages.pipelineId, pipelineStages.id],
    }).onDelete('cascade'),
    // One target per status, so a status change moves the deal exactly once.
    unique('stage_automations_pipeline_status_unique').on(t.pipelineId, t.status),
  ],
);
