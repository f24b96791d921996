import { createRoute } from '@hono/zod-openapi';
import { deals, isForeignKeyViolation, pipelineStages } from '@paylinks/db';
import { and, count, eq } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import type { MemberEnv } from '../auth/caller.js';
import { requireRole } from '../auth/require-member.js';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import {
  addStageBody,
  maxStagesPerPipeline,
  pipelineParams,
  pipelineSchema,
  renameStageBody,
  reorderStagesBody,
  stageParams,
  stageSchema,
} from './pipeline-schemas.js';
import { findPipelineRow, getPipeline, lockPipeline, stagesOf, writePositions } from './pipeline-store.js';

const tags = ['Pipelines'];
const json = <T>(schema: T) => ({ 'application/json': { schema } });

const addRoute = createRoute({
  method: 'post',
  path: '/{id}/stages',
  operationId: 'createStage',
  tags,
  summary: 'Add a stage, at the end or at a position (owner or admin)',
  description: `At most ${maxStagesPerPipeline} stages per pipeline. \`position\` may be at most the current number of stages.`,
  request: { params: pipelineParams, body: { required: true, content: json(addStageBody) } },
  responses: {
    201: { description: 'Added', content: json(stageSchema) },
    ...problemResponses(401, 403, 404, 409, 422),
  },
});

const renameRoute = createRoute({
  method: 'patch',
  path: '/{id}/stages/{stageId}',
  operationId: 'updateStage',
  tags,
  summary: 'Rename a stage (owner or admin)',
  request: { params: stageParams, body: { required: true, content: json(renameStageBody) } },
  responses: {
    200: { description: 'Renamed', content: json(stageSchema) },
    ...problemResponses(401, 403, 404, 422),
  },
});

const reorderRoute = createRoute({
  method: 'put',
  path: '/{id}/stages/order',
  operationId: 'reorderStages',
  tags,
  summary: 'Reorder the stages: send every stage id of the pipeline, each once, in the new order',
  description: "A list that is not exactly the pipeline's stages is refused with 422 `stage_order_mismatch`.",
  request: { params: pipelineParams, body: { required: true, content: json(reorderStagesBody) } },
  responses: {
    200: { description: 'The pipeline in its new order', content: json(pipelineSchema) },
    ...problemResponses(401, 403, 404, 422),
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/{id}/stages/{stageId}',
  operationId: 'deleteStage',
  tags,
  summary: 'Delete an empty stage (owner or admin)',
  description:
    'Refused with 409 `stage_not_empty` while deals are in it, and 409 `last_stage` for the only stage of a pipeline. Stage automations that target it are removed with it.',
  request: { params: stageParams },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404, 409, 422) },
});

const stageNotEmpty = () =>
  new ProblemError(409, {
    code: 'stage_not_empty',
    field: 'stageId',
    message: 'Move the deals out of this stage first.',
  });

export function stagesRoutes(ctx: AppContext) {
  const { db } = ctx;
  return createRouter<MemberEnv>()
    .openapi(addRoute, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner', 'admin']);
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const workspaceId = caller.workspaceId;
      const stage = await db.transaction(async (tx) => {
        await lockPipeline(tx, workspaceId, id);
        const stages = await stagesOf(tx, workspaceId, id);
        if (stages.length >= maxStagesPerPipeline) {
          throw new ProblemError(409, {
            code: 'stage_limit_reached',
            message: `A pipeline has at most ${maxStagesPerPipeline} stages.`,
          });
        }
        const position = body.position ?? stages.length;
        if (position > stages.length) {
          throw new ProblemError(422, {
            code: 'position_out_of_range',
            field: 'position',
            message: `Position must be between 0 and ${stages.length}.`,
          });
        }
        const [created] = await tx
          .insert(pipelineStages)
          .values({ workspaceId, pipelineId: id, name: body.name, position, createdAt: ctx.clock.now() })
          .returning({ id: pipelineStages.id, name: pipelineStages.name });
        const order = stages.map((s) => s.id);
        order.splice(position, 0, created!.id);
        await writePositions(tx, workspaceId, id, order);
        return { ...created!, position };
      });
      return c.json(stage, 201);
    })
    .openapi(renameRoute, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner', 'admin']);
      const { id, stageId } = c.req.valid('param');
      await findPipelineRow(db, caller.workspaceId, id);
      const updated = await db
        .update(pipelineStages)
        .set({ name: c.req.valid('json').name })
        .where(
          and(
            eq(pipelineStages.workspaceId, caller.workspaceId),
            eq(pipelineStages.pipelineId, id),
            eq(pipelineStages.id, stageId),
          ),
        )
        .returning({ id: pipelineStages.id });
      if (updated.length === 0) throw notFound('stageId', 'stage');
      const stage = (await stagesOf(db, caller.workspaceId, id)).find((s) => s.id === stageId);
      if (!stage) throw notFound('stageId', 'stage');
      return c.json(stage, 200);
    })
    .openapi(reorderRoute, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner', 'admin']);
      const { id } = c.req.valid('param');
      const { stageIds } = c.req.valid('json');
      await db.transaction(async (tx) => {
        await lockPipeline(tx, caller.workspaceId, id);
        const current = new Set((await stagesOf(tx, caller.workspaceId, id)).map((s) => s.id));
        const sent = new Set(stageIds);
        const exact =
          sent.size === stageIds.length &&
          sent.size === current.size &&
          stageIds.every((s) => current.has(s));
        if (!exact) {
          throw new ProblemError(422, {
            code: 'stage_order_mismatch',
            field: 'stageIds',
            message: 'Send every stage id of this pipeline exactly once, and no other id.',
          });
        }
        await writePositions(tx, caller.workspaceId, id, stageIds);
      });
      return c.json(await getPipeline(db, caller.workspaceId, id), 200);
    })
    .openapi(deleteRoute, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner', 'admin']);
      const { id, stageId } = c.req.valid('param');
      const workspaceId = caller.workspaceId;
      try {
        await db.transaction(async (tx) => {
          await lockPipeline(tx, workspaceId, id);
          const stages = await stagesOf(tx, workspaceId, id);
          if (!stages.some((s) => s.id === stageId)) throw notFound('stageId', 'stage');
          if (stages.length === 1) {
            throw new ProblemError(409, {
              code: 'last_stage',
              field: 'stageId',
              message: 'A pipeline keeps at least one stage.',
            });
          }
          const [inStage] = await tx
            .select({ n: count() })
            .from(deals)
            .where(and(eq(deals.workspaceId, workspaceId), eq(deals.stageId, stageId)));
          if ((inStage?.n ?? 0) > 0) throw stageNotEmpty();
          await tx
            .delete(pipelineStages)
            .where(and(eq(pipelineStages.workspaceId, workspaceId), eq(pipelineStages.id, stageId)));
          await writePositions(
            tx,
            workspaceId,
            id,
            stages.filter((s) => s.id !== stageId).map((s) => s.id),
          );
        });
      } catch (error) {
        // A deal moved in between the count and the delete is caught by its foreign key.
        if (isForeignKeyViolation(error)) throw stageNotEmpty();
        throw error;
      }
      return c.body(null, 204);
    });
}
