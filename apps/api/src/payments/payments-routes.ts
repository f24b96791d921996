import { createRoute, z } from '@hono/zod-openapi';
import { payments } from '@paylinks/db';
import { and, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import type { MemberEnv } from '../auth/caller.js';
import { requireRole } from '../auth/require-member.js';
import { IDEMPOTENCY_KEY_HEADER } from '../http/idempotency.js';
import { notFound } from '../http/not-found.js';
import { pageQuerySchema, toPage } from '../http/pagination.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import { listWalk, toSyncPage, updatedSinceQuery } from '../sync/sync-page.js';
import { touchedAt } from '../sync/updated-at.js';
import { type Confirmation, confirmLink, confirmPayment } from './confirm-payment.js';
import { filterWhere, paymentFiltersSchema } from './payment-filters.js';
import { presentPayment, selectPaymentPage, selectPayments } from './payment-queries.js';
import { loadTimeline } from './payment-timeline.js';
import { selectPaymentTotals } from './payment-totals.js';
import { paymentsCsvStream } from './payments-csv.js';
import {
  confirmBodySchema,
  confirmLinkBodySchema,
  paymentDetailSchema,
  paymentIdParams,
  paymentPageSchema,
  paymentTotalsSchema,
  refundBodySchema,
  updatePaymentBodySchema,
} from './payments-schemas.js';
import { refundPayment } from './refund-payment.js';
import { loadRefunds } from './refund-queries.js';

const tags = ['Payments'];
const json = <S extends z.ZodType>(schema: S) => ({ 'application/json': { schema } });

const listRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listPayments',
  tags,
  summary: 'The Payments section: every payment of the workspace, filtered, newest first',
  description:
    'With `updatedSince` the list is an incremental sync instead: changed payments (a status change, a ' +
    'refund, a confirmation, new metadata), oldest change first (see the parameter).',
  request: { query: paymentFiltersSchema.extend(pageQuerySchema.shape).extend(updatedSinceQuery) },
  responses: {
    200: { description: 'One page', content: json(paymentPageSchema) },
    ...problemResponses(401, 422),
  },
});

const exportRoute = createRoute({
  method: 'get',
  path: '/export.csv',
  operationId: 'exportPaymentsCsv',
  tags,
  summary: 'The same list as CSV (same filters), streamed',
  request: { query: paymentFiltersSchema },
  responses: {
    200: { description: 'CSV, UTF-8 with BOM', content: { 'text/csv': { schema: z.string() } } },
    ...problemResponses(401, 422),
  },
});

// Registered before /{id}: "totals" is not a payment id.
const totalsRoute = createRoute({
  method: 'get',
  path: '/totals',
  operationId: 'getPaymentTotals',
  tags,
  summary: 'What the filtered list adds up to, per currency, with how many payments (same filters)',
  request: { query: paymentFiltersSchema },
  responses: {
    200: { description: 'One total per currency, by currency code', content: json(paymentTotalsSchema) },
    ...problemResponses(401, 422),
  },
});

const confirmLinkRoute = createRoute({
  method: 'post',
  path: '/confirm-link',
  operationId: 'confirmLinkPayment',
  tags,
  summary: 'Confirm money received for a link nobody opened: creates the payment, Confirmed by team member',
  request: { body: { required: true, content: json(confirmLinkBodySchema) } },
  responses: {
    201: { description: 'Created and confirmed', content: json(paymentDetailSchema) },
    ...problemResponses(401, 404, 409, 410, 422),
  },
});

const detailRoute = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getPayment',
  tags,
  summary: 'A payment with its event timeline (oldest first)',
  request: { params: paymentIdParams },
  responses: {
    200: { description: 'The payment', content: json(paymentDetailSchema) },
    ...problemResponses(401, 404, 422),
  },
});

const updateRoute = createRoute({
  method: 'patch',
  path: '/{id}',
  operationId: 'updatePayment',
  tags,
  summary: "Change a payment's metadata (nothing else of a payment is edited)",
  request: { params: paymentIdParams, body: { required: true, content: json(updatePaymentBodySchema) } },
  responses: {
    200: { description: 'The payment', content: json(paymentDetailSchema) },
    ...problemResponses(401, 404, 422),
  },
});

const confirmRoute = createRoute({
  method: 'post',
  path: '/{id}/confirm',
  operationId: 'confirmPayment',
  tags,
  summary: 'Confirm a Processing payment manually (who and when are recorded)',
  request: { params: paymentIdParams, body: { required: true, content: json(confirmBodySchema) } },
  responses: {
    200: { description: 'Confirmed by team member', content: json(paymentDetailSchema) },
    ...problemResponses(401, 404, 409, 422),
  },
});

const refundRoute = createRoute({
  method: 'post',
  path: '/{id}/refunds',
  operationId: 'refundPayment',
  tags,
  summary:
    'Refund a payment, in full or in part (several refunds up to what was paid), at its provider, or record a manual refund of a Confirmed one; owner or admin',
  description:
    'Returned once everything paid is refunded. With an Idempotency-Key, a retried request finishes the same refund and never makes a second one.',
  request: {
    params: paymentIdParams,
    body: { required: false, content: json(refundBodySchema) },
  },
  responses: {
    200: { description: 'Refunded; the payment with its refunds', content: json(paymentDetailSchema) },
    202: {
      description: 'Accepted by the provider, which settles it later; the payment with its refunds',
      content: json(paymentDetailSchema),
    },
    ...problemResponses(401, 403, 404, 409, 422, 503),
  },
});

export function paymentsRoutes(ctx: AppContext) {
  const { db } = ctx;

  const detail = async (workspaceId: string, id: string) => {
    const [row] = await selectPayments(db).where(
      and(eq(payments.workspaceId, workspaceId), eq(payments.id, id)),
    );
    if (!row) throw notFound('id', 'payment');
    return {
      ...presentPayment(row),
      confirmationNote: row.confirmationNote,
      confirmationReference: row.confirmationReference,
      ...(await loadRefunds(db, { workspaceId, ...row })),
      events: await loadTimeline(db, workspaceId, id),
    };
  };

  const confirmation = (
    caller: { workspaceId: string; userId: string },
    body: { note?: string | undefined; reference?: string | undefined },
  ): Confirmation => ({
    workspaceId: caller.workspaceId,
    userId: caller.userId,
    // An emptied field means "no note", not an empty one.
    note: body.note || undefined,
    reference: body.reference || undefined,
    now: ctx.clock.now(),
  });

  return createRouter<MemberEnv>()
    .openapi(listRoute, async (c) => {
      const { workspaceId } = c.get('caller');
      const { limit, cursor, updatedSince, ...filters } = c.req.valid('query');
      const walk = listWalk({ cursor, updatedSince });
      const rows = await selectPaymentPage(db, filterWhere(workspaceId, filters), walk, limit);
      const page = walk.kind === 'sync' ? toSyncPage(rows, limit, walk.after) : toPage(rows, limit);
      return c.json({ items: page.items.map(presentPayment), nextCursor: page.nextCursor }, 200);
    })
    .openapi(exportRoute, (c) => {
      const { workspaceId } = c.get('caller');
      // Filters are checked before the first byte, so a bad one is still a clean 422.
      const where = filterWhere(workspaceId, c.req.valid('query'));
      const day = ctx.clock.now().toISOString().slice(0, 10);
      return c.body(paymentsCsvStream(db, where, ctx.logger), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="payments-${day}.csv"`,
        'cache-control': 'no-store',
      });
    })
    .openapi(totalsRoute, async (c) => {
      const { workspaceId } = c.get('caller');
      const totals = await selectPaymentTotals(db, filterWhere(workspaceId, c.req.valid('query')));
      return c.json({ totals }, 200);
    })
    .openapi(confirmLinkRoute, async (c) => {
      const caller = c.get('caller');
      const { linkId, ...body } = c.req.valid('json');
      const paymentId = await confirmLink(ctx, linkId, confirmation(caller, body));
      return c.json(await detail(caller.workspaceId, paymentId), 201);
    })
    .openapi(detailRoute, async (c) => {
      const { workspaceId } = c.get('caller');
      return c.json(await detail(workspaceId, c.req.valid('param').id), 200);
    })
    .openapi(updateRoute, async (c) => {
      const { workspaceId } = c.get('caller');
      const { id } = c.req.valid('param');
      const { metadata } = c.req.valid('json');
      // Sending what is stored changes nothing, so it does not move updatedAt either.
      const changed = await db
        .update(payments)
        .set({ metadata, updatedAt: touchedAt(payments.updatedAt, ctx.clock.now()) })
        .where(
          and(
            eq(payments.workspaceId, workspaceId),
            eq(payments.id, id),
            sql`${payments.metadata} is distinct from ${JSON.stringify(metadata)}::jsonb`,
          ),
        )
        .returning({ id: payments.id });
      if (changed.length === 0) {
        const [exists] = await db
          .select({ id: payments.id })
          .from(payments)
          .where(and(eq(payments.workspaceId, workspaceId), eq(payments.id, id)));
        if (!exists) throw notFound('id', 'payment');
      }
      return c.json(await detail(workspaceId, id), 200);
    })
    .openapi(confirmRoute, async (c) => {
      const caller = c.get('caller');
      const { id } = c.req.valid('param');
      await confirmPayment(ctx, id, confirmation(caller, c.req.valid('json')));
      return c.json(await detail(caller.workspaceId, id), 200);
    })
    .openapi(refundRoute, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner', 'admin']);
      const { id } = c.req.valid('param');
      // No body at all is a refund of everything left.
      const body = c.req.valid('json') ?? {};
      const outcome = await refundPayment(ctx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        paymentId: id,
        amountMinor: body.amount === undefined ? undefined : BigInt(body.amount),
        reason: body.reason || undefined,
        requestKey: c.req.header(IDEMPOTENCY_KEY_HEADER),
        now: ctx.clock.now(),
      });
      return c.json(await detail(caller.workspaceId, id), outcome === 'refunded' ? 200 : 202);
    });
}
