import { createRoute, z } from '@hono/zod-openapi';
import { type PaymentStatus, paymentStatuses, paymentStatusLabel } from '@paylinks/core';
import { type PaylinksExecutor, pipelineStages, stageAutomations } from '@paylinks/db';
import { and, eq, inArray } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import type { MemberEnv } from '../auth/caller.js';
import { requireRole } from '../auth/require-member.js';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import { pipelineParams } from './pipeline-schemas.js';
import { findPipelineRow, lockPipeline } from './pipeline-store.js';

type TargetsShape = { [S in PaymentStatus]: z.ZodNullable<z.ZodUUID> };
type Targets = { [S in PaymentStatus]: string | null };

const targetsShape = Object.fromEntries(
  paymentStatuses.map((status) => [
    status,
    z
      .uuid()
      .nullable()
      .openapi({
        description: `Stage a deal moves to when a payment becomes ${paymentStatusLabel(status)}; null: stays put`,
      }),
  ]),
) as TargetsShape;

const automationsSchema = z.object(targetsShape).openapi('StageAutomations');
const automationsBody = z
  .object(targetsShape)
  .partial()
  .strict()
  .openapi('UpdateStageAutomations', { description: 'Statuses left out keep their target' });

const getRoute = createRoute({
  method: 'get',
  path: '/{id}/automations',
  operationId: 'getStageAutomations',
  tags: ['Pipelines'],
  summary: "The pipeline's stage automations: per payment status, the target stage or null",
  request: { params: pipelineParams },
  responses: {
    200: { description: 'Targets by status', content: { 'application/json': { schema: automationsSchema } } },
    ...problemResponses(401, 404, 422),
  },
});

const putRoute = createRoute({
  method: 'put',
  path: '/{id}/automations',
  operationId: 'setStageAutomations',
  tags: ['Pipelines'],
  summary: 'Set targets for some statuses (owner or admin); null removes one',
  description:
    'A stage of another pipeline is refused with 422 `stage_not_in_pipeline`; an unknown stage with 404. The field is the status.',
  request: {
    params: pipelineParams,
    body: { required: true, content: { 'application/json': { schema: automationsBody } } },
  },
  responses: {
    200: { description: 'All targets now', content: { 'application/json': { schema: automationsSchema } } },
    ...problemResponses(401, 403, 404, 422),
  },
});

async function readTargets(db: PaylinksExecutor, workspaceId: string, pipelineId: string): Promise<Targets> {
  const rows = await db
    .select({ status: stageAutomations.status, targetStageId: stageAutomations.targetStageId })
    .from(stageAutomations)
    .where(and(eq(stageAutomations.workspaceId, workspaceId), eq(stageAutomations.pipelineId, pipelineId)));
  const targets = Object.fromEntries(paymentStatuses.map((s) => [s, null])) as Targets;
  for (const row of rows) targets[row.status] = row.targetStageId;
  return targets;
}

export function stageAutomationsRoutes(ctx: AppContext) {
  const { db } = ctx;
  return createRouter<MemberEnv>()
    .openapi(getRoute, async (c) => {
      const { workspaceId } = c.get('caller');
      const { id } = c.req.valid('param');
      await findPipelineRow(db, workspaceId, id);
      return c.json(await readTargets(db, workspaceId, id), 200);
    })
    .openapi(putRoute, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner', 'admin']);
      const { workspaceId } = caller;
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const changes = paymentStatuses.flatMap((status) => {
        const target = body[status];
        return target === undefined ? [] : [{ status, target }];
      });
      const targets = await db.transaction(async (tx) => {
        await lockPipeline(tx, workspaceId, id);
        const wanted = changes.flatMap((change) => (change.target === null ? [] : [change.target]));
        const stages =
          wanted.length === 0
            ? []
            : await tx
                .select({ id: pipelineStages.id, pipelineId: pipelineStages.pipelineId })
                .from(pipelineStages)
                .where(and(eq(pipelineStages.workspaceId, workspaceId), inArray(pipelineStages.id, wanted)));
        const pipelineOf = new Map(stages.map((s) => [s.id, s.pipelineId]));
        for (const { status, target } of changes) {
          if (target === null) {
            await tx
              .delete(stageAutomations)
              .where(
                and(
                  eq(stageAutomations.workspaceId, workspaceId),
                  eq(stageAutomations.pipelineId, id),
                  eq(stageAutomations.status, status),
                ),
              );
            continue;
          }
          const stagePipeline = pipelineOf.get(target);
          if (stagePipeline === undefined) throw notFound(status, 'stage');
          if (stagePipeline !== id) {
            throw new ProblemError(422, {
              code: 'stage_not_in_pipeline',
              field: status,
              message: 'The target stage must belong to this pipeline.',
            });
          }
          await tx
            .insert(stageAutomations)
            .values({
              workspaceId,
              pipelineId: id,
              status,
              targetStageId: target,
              createdAt: ctx.clock.now(),
            })
            .onConflictDoUpdate({
              target: [stageAutomations.pipelineId, stageAutomations.status],
              set: { targetStageId: target },
            });
        }
        return readTargets(tx, workspaceId, id);
      });
      return c.json(targets, 200);
    });
}
