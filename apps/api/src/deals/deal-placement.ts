import { type PaylinksExecutor, pipelineStages, pipelines } from '@paylinks/db';
import { and, asc, eq } from 'drizzle-orm';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';
import { findPipelineRow } from '../pipelines/pipeline-store.js';

export interface Placement {
  pipelineId: string;
  stageId: string;
}

async function stageRow(db: PaylinksExecutor, workspaceId: string, stageId: string) {
  const [row] = await db
    .select({ id: pipelineStages.id, pipelineId: pipelineStages.pipelineId })
    .from(pipelineStages)
    .where(and(eq(pipelineStages.workspaceId, workspaceId), eq(pipelineStages.id, stageId)));
  if (!row) throw notFound('stageId', 'stage');
  return row;
}

const notInPipeline = (message: string) =>
  new ProblemError(422, { code: 'stage_not_in_pipeline', field: 'stageId', message });

async function firstStage(db: PaylinksExecutor, workspaceId: string, pipelineId: string): Promise<Placement> {
  const [first] = await db
    .select({ id: pipelineStages.id })
    .from(pipelineStages)
    .where(and(eq(pipelineStages.workspaceId, workspaceId), eq(pipelineStages.pipelineId, pipelineId)))
    .orderBy(asc(pipelineStages.position), asc(pipelineStages.createdAt), asc(pipelineStages.id))
    .limit(1);
  // Unreachable through the API (a pipeline keeps at least one stage), but not a reason for a 500.
  if (!first)
    throw new ProblemError(409, { code: 'pipeline_has_no_stages', message: 'The pipeline has no stages.' });
  return { pipelineId, stageId: first.id };
}

/**
 * Where a new deal goes: the stage when given (its pipeline, which must match pipelineId if that is
 * given too), else the first stage of pipelineId, else the first stage of the default pipeline.
 */
export async function placementForNewDeal(
  db: PaylinksExecutor,
  workspaceId: string,
  input: { pipelineId?: string | undefined; stageId?: string | undefined },
): Promise<Placement> {
  if (input.pipelineId !== undefined) await findPipelineRow(db, workspaceId, input.pipelineId, 'pipelineId');
  if (input.stageId !== undefined) {
    const stage = await stageRow(db, workspaceId, input.stageId);
    if (input.pipelineId !== undefined && stage.pipelineId !== input.pipelineId) {
      throw notInPipeline('This stage belongs to another pipeline.');
    }
    return { pipelineId: stage.pipelineId, stageId: stage.id };
  }
  if (input.pipelineId !== undefined) return firstStage(db, workspaceId, input.pipelineId);
  const [defaultPipeline] = await db
    .select({ id: pipelines.id })
    .from(pipelines)
    .where(and(eq(pipelines.workspaceId, workspaceId), eq(pipelines.isDefault, true)));
  if (!defaultPipeline) {
    throw new ProblemError(409, {
      code: 'no_default_pipeline',
      field: 'pipelineId',
      message: 'The workspace has no default pipeline; name one.',
    });
  }
  return firstStage(db, workspaceId, defaultPipeline.id);
}

/**
 * Where a move takes a deal. Within its pipeline, stageId alone. Into another pipeline, the caller
 * must also name that pipeline, so a stale board cannot carry a deal across pipelines by accident.
 */
export async function placementForMove(
  db: PaylinksExecutor,
  workspaceId: string,
  currentPipelineId: string,
  input: { stageId: string; pipelineId?: string | undefined },
): Promise<Placement> {
  if (input.pipelineId !== undefined) await findPipelineRow(db, workspaceId, input.pipelineId, 'pipelineId');
  const stage = await stageRow(db, workspaceId, input.stageId);
  const targetPipelineId = input.pipelineId ?? currentPipelineId;
  if (stage.pipelineId !== targetPipelineId) {
    throw notInPipeline(
      input.pipelineId === undefined
        ? "This stage is in another pipeline; send that pipeline's id as pipelineId to move the deal there."
        : 'This stage belongs to another pipeline than pipelineId.',
    );
  }
  return { pipelineId: stage.pipelineId, stageId: stage.id };
}
