import { sql } from 'drizzle-orm';
import {
  boolean,
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantReference, workspaceId } from './columns';
import { workspaces } from './workspaces';

export const pipelines = pgTable(
  'pipelines',
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    /** Contact-origin payments create their deal in the default pipeline. */
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete('cascade'),
    unique('pipelines_workspace_id_id_unique').on(t.workspaceId, t.id),
    uniqueIndex('pipelines_one_default_per_workspace').on(t.workspaceId).where(sql`${t.isDefault}`),
  ],
);

export const pipelineStages = pgTable(
  'pipeline_stages',
  {
    id: id(),
    workspaceId: workspaceId(),
    pipelineId: uuid('pipeline_id').notNull(),
    name: text('name').notNull(),
    /**
     * Order within the pipeline. Not unique: reordering swaps positions, and a unique
     * constraint would need to be deferrable, which drizzle-kit cannot express.
     */
    position: integer('position').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete('cascade'),
    tenantReference('pipeline_stages_pipeline_id_fk', t, t.pipelineId, pipelines).onDelete('cascade'),
    unique('pipeline_stages_workspace_id_id_unique').on(t.workspaceId, t.id),
    // Lets deals and automations require that a stage belongs to the pipeline they name.
    unique('pipeline_stages_workspace_pipeline_id_unique').on(t.workspaceId, t.pipelineId, t.id),
    index('pipeline_stages_pipeline_position_idx').on(t.workspaceId, t.pipelineId, t.position),
  ],
);
