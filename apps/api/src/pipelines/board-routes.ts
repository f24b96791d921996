import { createRoute, z } from '@hono/zod-openapi';
import { deals } from '@paylinks/db';
import { and, count, eq } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import type { MemberEnv } from '../auth/caller.js';
import { dealSchema } from '../deals/deal-schemas.js';
import { presentDeal, selectDeals } from '../deals/deal-store.js';
import { toPage } from '../http/pagination.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import { pipelineParams, stageSchema } from './pipeline-schemas.js';
import { getPipeline } from './pipeline-store.js';

const boardStageSchema = stageSchema
  .extend({
    dealCount: z.number().int().openapi({ description: 'All deals in the stage, not just those shown' }),
    deals: z.array(dealSchema).openapi({ description: 'Newest first, at most perStage' }),
    nextCursor: z.string().nullable().openapi({
      description: 'More deals: GET /api/deals?pipelineId=…&stageId=…&cursor=<this>',
    }),
  })
  .openapi('BoardStage');

const boardSchema = z
  .object({ id: z.uuid(), name: z.string(), isDefault: z.boolean(), stages: z.array(boardStageSchema) })
  .openapi('Board');

const boardQuery = z.object({
  perStage: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .openapi({ description: 'Deals shown per stage, 1–100 (default 20)' }),
});

const boardRoute = createRoute({
  method: 'get',
  path: '/{id}/board',
  operationId: 'getPipelineBoard',
  tags: ['Pipelines'],
  summary: 'The board: stages in order, each with its newest deals and its deal count',
  request: { params: pipelineParams, query: boardQuery },
  responses: {
    200: { description: 'The board', content: { 'application/json': { schema: boardSchema } } },
    ...problemResponses(401, 404, 422),
  },
});

export function boardRoutes(ctx: AppContext) {
  const { db } = ctx;
  return createRouter<MemberEnv>().openapi(boardRoute, async (c) => {
    const { workspaceId } = c.get('caller');
    const { id } = c.req.valid('param');
    const { perStage } = c.req.valid('query');
    const pipeline = await getPipeline(db, workspaceId, id);
    const counts = await db
      .select({ stageId: deals.stageId, n: count() })
      .from(deals)
      .where(and(eq(deals.workspaceId, workspaceId), eq(deals.pipelineId, id)))
      .groupBy(deals.stageId);
    const countOf = new Map(counts.map((row) => [row.stageId, Number(row.n)]));
    const stages = [];
    // One bounded query per stage; a pipeline has at most a few dozen stages.
    for (const stage of pipeline.stages) {
      const rows = await selectDeals(
        db,
        workspaceId,
        [eq(deals.pipelineId, id), eq(deals.stageId, stage.id)],
        { limit: perStage + 1 },
      );
      const page = toPage(rows, perStage);
      stages.push({
        ...stage,
        dealCount: countOf.get(stage.id) ?? 0,
        deals: page.items.map(presentDeal),
        nextCursor: page.nextCursor,
      });
    }
    return c.json({ id: pipeline.id, name: pipeline.name, isDefault: pipeline.isDefault, stages }, 200);
  });
}
