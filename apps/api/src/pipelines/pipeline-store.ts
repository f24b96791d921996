import { type PaylinksExecutor, type PaylinksTransaction, pipelineStages, pipelines } from '@paylinks/db';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { notFound } from '../http/not-found.js';
import type { PipelineView, StageView } from './pipeline-schemas.js';

type PipelineRow = typeof pipelines.$inferSelect;

const stageOrder = [asc(pipelineStages.position), asc(pipelineStages.createdAt), asc(pipelineStages.id)];

/** A pipeline's stages in board order, positions renumbered 0..n-1 as the client sees them. */
export async function stagesOf(
  db: PaylinksExecutor,
  workspaceId: string,
  pipelineId: string,
): Promise<StageView[]> {
  const rows = await db
    .select({ id: pipelineStages.id, name: pipelineStages.name })
    .from(pipelineStages)
    .where(and(eq(pipelineStages.workspaceId, workspaceId), eq(pipelineStages.pipelineId, pipelineId)))
    .orderBy(...stageOrder);
  return rows.map((row, position) => ({ ...row, position }));
}

export function presentPipeline(row: PipelineRow, stages: StageView[]): PipelineView {
  return {
    id: row.id,
    name: row.name,
    isDefault: row.isDefault,
    createdAt: row.createdAt.toISOString(),
    stages,
  };
}

export async function listPipelines(db: PaylinksExecutor, workspaceId: string): Promise<PipelineView[]> {
  const rows = await db
    .select()
    .from(pipelines)
    .where(eq(pipelines.workspaceId, workspaceId))
    .orderBy(asc(pipelines.createdAt), asc(pipelines.id));
  if (rows.length === 0) return [];
  const stages = await db
    .select({ id: pipelineStages.id, name: pipelineStages.name, pipelineId: pipelineStages.pipelineId })
    .from(pipelineStages)
    .where(
      and(
        eq(pipelineStages.workspaceId, workspaceId),
        inArray(
          pipelineStages.pipelineId,
          rows.map((r) => r.id),
        ),
      ),
    )
    .orderBy(...stageOrder);
  return rows.map((row) =>
    presentPipeline(
      row,
      stages
        .filter((s) => s.pipelineId === row.id)
        .map((s, position) => ({ id: s.id, name: s.name, position })),
    ),
  );
}

export async function findPipelineRow(
  db: PaylinksExecutor,
  workspaceId: string,
  id: string,
  field = 'id',
): Promise<PipelineRow> {
  const [row] = await db
    .select()
    .from(pipelines)
    .where(and(eq(pipelines.workspaceId, workspaceId), eq(pipelines.id, id)));
  if (!row) throw notFound(field, 'pipeline');
  return row;
}

export async function getPipeline(
  db: PaylinksExecutor,
  workspaceId: string,
  id: string,
): Promise<PipelineView> {
  const row = await findPipelineRow(db, workspaceId, id);
  return presentPipeline(row, await stagesOf(db, workspaceId, id));
}

/**
 * Row-locks the pipeline so stage changes (add, reorder, delete) on it run one at a time and
 * positions never interleave.
 */
export async function lockPipeline(
  tx: PaylinksTransaction,
  workspaceId: string,
  id: string,
): Promise<PipelineRow> {
  const [row] = await tx
    .select()
    .from(pipelines)
    .where(and(eq(pipelines.workspaceId, workspaceId), eq(pipelines.id, id)))
    .for('update');
  if (!row) throw notFound('id', 'pipeline');
  return row;
}

/** Stores `orderedIds` as positions 0..n-1, touching only rows whose position changes. */
export async function writePositions(
  tx: PaylinksTransaction,
  workspaceId: string,
  pipelineId: string,
  orderedIds: readonly string[],
): Promise<void> {
  const current = await tx
    .select({ id: pipelineStages.id, position: pipelineStages.position })
    .from(pipelineStages)
    .where(and(eq(pipelineStages.workspaceId, workspaceId), eq(pipelineStages.pipelineId, pipelineId)));
  const positionOf = new Map(current.map((s) => [s.id, s.position]));
  for (const [position, id] of orderedIds.entries()) {
    if (positionOf.get(id) === position) continue;
    await tx
      .update(pipelineStages)
      .set({ position })
      .where(and(eq(pipelineStages.workspaceId, workspaceId), eq(pipelineStages.id, id)));
  }
}
