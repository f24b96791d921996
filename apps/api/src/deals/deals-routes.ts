import { createRoute } from '@hono/zod-openapi';
import { databaseErrorOf, deals, isForeignKeyViolation, paymentLinks, payments } from '@paylinks/db';
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import type { MemberEnv } from '../auth/caller.js';
import { externalIdTaken } from '../http/external-id-schema.js';
import { notFound } from '../http/not-found.js';
import { toPage } from '../http/pagination.js';
import { ProblemError } from '../http/problem.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import { listWalk, toSyncPage } from '../sync/sync-page.js';
import { touchedAt } from '../sync/updated-at.js';
import { placementForMove, placementForNewDeal } from './deal-placement.js';
import {
  createDealBody,
  dealListQuery,
  dealPageSchema,
  dealParams,
  dealSchema,
  moveDealBody,
  updateDealBody,
} from './deal-schemas.js';
import { amountColumns, findDeal, presentDeal, requireContact, selectDeals } from './deal-store.js';

const tags = ['Deals'];
const json = <T>(schema: T) => ({ 'application/json': { schema } });
const dealResponse = (description: string) => ({ description, content: json(dealSchema) });

const listRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listDeals',
  tags,
  summary: 'Deals, newest first, filtered by pipeline, stage, contact or externalId; keyset-paginated',
  description:
    'With `updatedSince` the list is an incremental sync instead: changed deals, oldest change first ' +
    '(see the parameter). Deleted deals do not appear in it.',
  request: { query: dealListQuery },
  responses: {
    200: { description: 'A page of deals', content: json(dealPageSchema) },
    ...problemResponses(401, 422),
  },
});

const createDealRoute = createRoute({
  method: 'post',
  path: '/',
  operationId: 'createDeal',
  tags,
  summary: 'Create a deal for a contact',
  description:
    'Without stageId it goes to the first stage of pipelineId, or of the default pipeline. A stage of another pipeline than pipelineId is refused with 422 `stage_not_in_pipeline`.',
  request: { body: { required: true, content: json(createDealBody) } },
  responses: { 201: dealResponse('Created'), ...problemResponses(401, 404, 409, 422) },
});

const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getDeal',
  tags,
  summary: 'One deal',
  request: { params: dealParams },
  responses: { 200: dealResponse('The deal'), ...problemResponses(401, 404, 422) },
});

const updateRoute = createRoute({
  method: 'patch',
  path: '/{id}',
  operationId: 'updateDeal',
  tags,
  summary: 'Change title, contact or amount (amount null clears it)',
  request: { params: dealParams, body: { required: true, content: json(updateDealBody) } },
  responses: { 200: dealResponse('Updated'), ...problemResponses(401, 404, 409, 422) },
});

const moveRoute = createRoute({
  method: 'post',
  path: '/{id}/move',
  operationId: 'moveDeal',
  tags,
  summary: 'Move a deal to another stage',
  description:
    "Within the deal's pipeline send stageId only. To move it into another pipeline send that pipeline's id as pipelineId too; a stage outside the target pipeline is refused with 422 `stage_not_in_pipeline`.",
  request: { params: dealParams, body: { required: true, content: json(moveDealBody) } },
  responses: { 200: dealResponse('Moved'), ...problemResponses(401, 404, 422) },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'deleteDeal',
  tags,
  summary: 'Delete a deal that has no payments and no payment links',
  description:
    'Refused with 409 `deal_has_payments` or 409 `deal_has_payment_links`: payment history is never deleted with a deal.',
  request: { params: dealParams },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 404, 409, 422) },
});

/**
 * A referenced row vanished between our check and the write: answer as if it never existed. An
 * external id another deal holds is refused here too, as the same write's constraint.
 */
function vanishedReference(error: unknown): ProblemError | undefined {
  const taken = externalIdTaken(error, 'deals_workspace_external_id_unique');
  if (taken) return taken;
  if (!isForeignKeyViolation(error)) return undefined;
  const constraint = databaseErrorOf(error)?.constraint;
  if (constraint === 'deals_contact_id_fk') return notFound('contactId', 'contact');
  if (constraint === 'deals_pipeline_id_fk') return notFound('pipelineId', 'pipeline');
  return notFound('stageId', 'stage');
}

const hasPayments = () =>
  new ProblemError(409, {
    code: 'deal_has_payments',
    field: 'id',
    message: 'This deal has payments; it stays for their history.',
  });

export function dealsRoutes(ctx: AppContext) {
  const { db } = ctx;
  return createRouter<MemberEnv>()
    .openapi(listRoute, async (c) => {
      const { workspaceId } = c.get('caller');
      const query = c.req.valid('query');
      const walk = listWalk(query);
      const rows = await selectDeals(
        db,
        workspaceId,
        [
          query.pipelineId ? eq(deals.pipelineId, query.pipelineId) : undefined,
          query.stageId ? eq(deals.stageId, query.stageId) : undefined,
          query.contactId ? eq(deals.contactId, query.contactId) : undefined,
          query.externalId === undefined ? undefined : eq(deals.externalId, query.externalId),
        ],
        { limit: query.limit + 1, walk },
      );
      const page =
        walk.kind === 'sync' ? toSyncPage(rows, query.limit, walk.after) : toPage(rows, query.limit);
      return c.json({ items: page.items.map(presentDeal), nextCursor: page.nextCursor }, 200);
    })
    .openapi(createDealRoute, async (c) => {
      const { workspaceId } = c.get('caller');
      const body = c.req.valid('json');
      const amount = amountColumns(body.amount ?? null);
      await requireContact(db, workspaceId, body.contactId);
      const placement = await placementForNewDeal(db, workspaceId, body);
      const now = ctx.clock.now();
      try {
        const [created] = await db
          .insert(deals)
          .values({
            workspaceId,
            title: body.title,
            contactId: body.contactId,
            ...placement,
            ...amount,
            metadata: body.metadata ?? {},
            externalId: body.externalId ?? null,
            createdAt: now,
            updatedAt: now,
          })
          .returning({ id: deals.id });
        return c.json(await findDeal(db, workspaceId, created!.id), 201);
      } catch (error) {
        throw vanishedReference(error) ?? error;
      }
    })
    .openapi(getRoute, async (c) =>
      c.json(await findDeal(db, c.get('caller').workspaceId, c.req.valid('param').id), 200),
    )
    .openapi(updateRoute, async (c) => {
      const { workspaceId } = c.get('caller');
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      await findDeal(db, workspaceId, id);
      if (body.contactId !== undefined) await requireContact(db, workspaceId, body.contactId);
      try {
        await db
          .update(deals)
          .set({
            ...(body.title === undefined ? {} : { title: body.title }),
            ...(body.contactId === undefined ? {} : { contactId: body.contactId }),
            ...(body.amount === undefined ? {} : amountColumns(body.amount)),
            ...(body.metadata === undefined ? {} : { metadata: body.metadata }),
            ...(body.externalId === undefined ? {} : { externalId: body.externalId }),
            updatedAt: touchedAt(deals.updatedAt, ctx.clock.now()),
          })
          .where(and(eq(deals.workspaceId, workspaceId), eq(deals.id, id)));
      } catch (error) {
        throw vanishedReference(error) ?? error;
      }
      return c.json(await findDeal(db, workspaceId, id), 200);
    })
    .openapi(moveRoute, async (c) => {
      const { workspaceId } = c.get('caller');
      const { id } = c.req.valid('param');
      const deal = await findDeal(db, workspaceId, id);
      const placement = await placementForMove(db, workspaceId, deal.pipelineId, c.req.valid('json'));
      if (placement.stageId === deal.stageId) return c.json(deal, 200);
      try {
        await db
          .update(deals)
          .set({ ...placement, updatedAt: touchedAt(deals.updatedAt, ctx.clock.now()) })
          .where(and(eq(deals.workspaceId, workspaceId), eq(deals.id, id)));
      } catch (error) {
        throw vanishedReference(error) ?? error;
      }
      return c.json(await findDeal(db, workspaceId, id), 200);
    })
    .openapi(deleteRoute, async (c) => {
      const { workspaceId } = c.get('caller');
      const { id } = c.req.valid('param');
      await findDeal(db, workspaceId, id);
      const [payment] = await db
        .select({ id: payments.id })
        .from(payments)
        .where(and(eq(payments.workspaceId, workspaceId), eq(payments.dealId, id)))
        .limit(1);
      if (payment) throw hasPayments();
      const [link] = await db
        .select({ id: paymentLinks.id })
        .from(paymentLinks)
        .where(and(eq(paymentLinks.workspaceId, workspaceId), eq(paymentLinks.dealId, id)))
        .limit(1);
      if (link) {
        throw new ProblemError(409, {
          code: 'deal_has_payment_links',
          field: 'id',
          message: 'This deal has payment links; they stay in its history.',
        });
      }
      try {
        await db.delete(deals).where(and(eq(deals.workspaceId, workspaceId), eq(deals.id, id)));
      } catch (error) {
        // A link or payment attached in between is caught by its foreign key.
        if (isForeignKeyViolation(error)) throw hasPayments();
        throw error;
      }
      return c.body(null, 204);
    });
}
