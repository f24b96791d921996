import { createRoute } from '@hono/zod-openapi';
import { deals, isForeignKeyViolation, isUniqueViolation, pipelineStages, pipelines } from '@paylinks/db';
import { and, count, eq, ne } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import type { MemberEnv } from '../auth/caller.js';
import { requireRole } from '../auth/require-member.js';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import { boardRoutes } from './board-routes.js';
import {
  createPipelineBody,
  maxPipelinesPerWorkspace,
  pipelineListSchema,
  pipelineParams,
  pipelineSchema,
  renamePipelineBody,
} from './pipeline-schemas.js';
import { getPipeline, listPipelines, lockPipeline } from './pipeline-store.js';
import { stageAutomationsRoutes } from './stage-automations-routes.js';
import { stagesRoutes } from './stages-routes.js';

const tags = ['Pipelines'];
const json = <T>(schema: T) => ({ 'application/json': { schema } });
const pipelineResponse = (description: string) => ({ description, content: json(pipelineSchema) });

const listRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listPipelines',
  tags,
  summary: 'Pipelines of the workspace, oldest first, each with its stages in order',
  responses: {
    200: { description: 'Pipelines', content: json(pipelineListSchema) },
    ...problemResponses(401),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getPipeline',
  tags,
  summary: 'One pipeline with its stages in order',
  request: { params: pipelineParams },
  responses: { 200: pipelineResponse('The pipeline'), ...problemResponses(401, 404, 422) },
});

const createPipelineRoute = createRoute({
  method: 'post',
  path: '/',
  operationId: 'createPipeline',
  tags,
  summary: 'Create a pipeline with its stages (owner or admin)',
  description: `At most ${maxPipelinesPerWorkspace} pipelines per workspace. It becomes the default only if the workspace has none.`,
  request: { body: { required: true, content: json(createPipelineBody) } },
  responses: { 201: pipelineResponse('Created'), ...problemResponses(401, 403, 409, 422) },
});

const renameRoute = createRoute({
  method: 'patch',
  path: '/{id}',
  operationId: 'updatePipeline',
  tags,
  summary: 'Rename a pipeline (owner or admin)',
  request: { params: pipelineParams, body: { required: true, content: json(renamePipelineBody) } },
  responses: { 200: pipelineResponse('Renamed'), ...problemResponses(401, 403, 404, 422) },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'deletePipeline',
  tags,
  summary: 'Delete a pipeline that holds no deals and is not the default (owner or admin)',
  description:
    'Refused with 409 `default_pipeline` for the default pipeline and 409 `pipeline_has_deals` while any deal is in it. Its stages and stage automations go with it.',
  request: { params: pipelineParams },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404, 409, 422) },
});

const setDefaultRoute = createRoute({
  method: 'post',
  path: '/{id}/default',
  operationId: 'makePipelineDefault',
  tags,
  summary: 'Make this the default pipeline (owner or admin); the previous default stops being one',
  request: { params: pipelineParams },
  responses: { 200: pipelineResponse('Now the default'), ...problemResponses(401, 403, 404, 409, 422) },
});

const concurrentChange = () =>
  new ProblemError(409, { code: 'concurrent_change', message: 'Another change got there first; try again.' });

export function pipelinesRoutes(ctx: AppContext) {
  const { db } = ctx;
  return createRouter<MemberEnv>()
    .openapi(listRoute, async (c) =>
      c.json({ pipelines: await listPipelines(db, c.get('caller').workspaceId) }, 200),
    )
    .openapi(getRoute, async (c) =>
      c.json(await getPipeline(db, c.get('caller').workspaceId, c.req.valid('param').id), 200),
    )
    .openapi(createPipelineRoute, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner', 'admin']);
      const body = c.req.valid('json');
      const workspaceId = caller.workspaceId;
      const id = await db.transaction(async (tx) => {
        const existing = await tx
          .select({ isDefault: pipelines.isDefault })
          .from(pipelines)
          .where(eq(pipelines.workspaceId, workspaceId));
        if (existing.length >= maxPipelinesPerWorkspace) {
          throw new ProblemError(409, {
            code: 'pipeline_limit_reached',
            message: `A workspace has at most ${maxPipelinesPerWorkspace} pipelines.`,
          });
        }
        const now = ctx.clock.now();
        const [created] = await tx
          .insert(pipelines)
          .values({
            workspaceId,
            name: body.name,
            isDefault: !existing.some((p) => p.isDefault),
            createdAt: now,
          })
          .returning({ id: pipelines.id });
        await tx.insert(pipelineStages).values(
          body.stages.map((name, position) => ({
            workspaceId,
            pipelineId: created!.id,
            name,
            position,
            createdAt: now,
          })),
        );
        return created!.id;
      });
      return c.json(await getPipeline(db, workspaceId, id), 201);
    })
    .openapi(renameRoute, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner', 'admin']);
      const { id } = c.req.valid('param');
      const updated = await db
        .update(pipelines)
        .set({ name: c.req.valid('json').name })
        .where(and(eq(pipelines.workspaceId, caller.workspaceId), eq(pipelines.id, id)))
        .returning({ id: pipelines.id });
      if (updated.length === 0) throw notFound('id', 'pipeline');
      return c.json(await getPipeline(db, caller.workspaceId, id), 200);
    })
    .openapi(deleteRoute, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner', 'admin']);
      const { id } = c.req.valid('param');
      const hasDeals = () =>
        new ProblemError(409, {
          code: 'pipeline_has_deals',
          field: 'id',
          message: 'Move or delete the deals in this pipeline first.',
        });
      try {
        await db.transaction(async (tx) => {
          const pipeline = await lockPipeline(tx, caller.workspaceId, id);
          if (pipeline.isDefault) {
            throw new ProblemError(409, {
              code: 'default_pipeline',
              field: 'id',
              message: 'Make another pipeline the default before deleting this one.',
            });
          }
          const [dealCount] = await tx
            .select({ n: count() })
            .from(deals)
            .where(and(eq(deals.workspaceId, caller.workspaceId), eq(deals.pipelineId, id)));
          if ((dealCount?.n ?? 0) > 0) throw hasDeals();
          await tx
            .delete(pipelines)
            .where(and(eq(pipelines.workspaceId, caller.workspaceId), eq(pipelines.id, id)));
        });
      } catch (error) {
        // A deal created between the check and the delete is caught by its foreign key.
        if (isForeignKeyViolation(error)) throw hasDeals();
        throw error;
      }
      return c.body(null, 204);
    })
    .openapi(setDefaultRoute, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner', 'admin']);
      const { id } = c.req.valid('param');
      const workspaceId = caller.workspaceId;
      try {
        await db.transaction(async (tx) => {
          // Locking every pipeline of the workspace serialises default switches, so the partial
          // unique index (one default per workspace) never sees two at once.
          const all = await tx
            .select({ id: pipelines.id })
            .from(pipelines)
            .where(eq(pipelines.workspaceId, workspaceId))
            .for('update');
          if (!all.some((p) => p.id === id)) throw notFound('id', 'pipeline');
          await tx
            .update(pipelines)
            .set({ isDefault: false })
            .where(
              and(
                eq(pipelines.workspaceId, workspaceId),
                eq(pipelines.isDefault, true),
                ne(pipelines.id, id),
              ),
            );
          await tx
            .update(pipelines)
            .set({ isDefault: true })
            .where(and(eq(pipelines.workspaceId, workspaceId), eq(pipelines.id, id)));
        });
      } catch (error) {
        if (isUniqueViolation(error, 'pipelines_one_default_per_workspace')) throw concurrentChange();
        throw error;
      }
      return c.json(await getPipeline(db, workspaceId, id), 200);
    })
    .route('/', stagesRoutes(ctx))
    .route('/', boardRoutes(ctx))
    .route('/', stageAutomationsRoutes(ctx));
}
