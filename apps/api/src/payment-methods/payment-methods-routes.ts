import { createRoute, z } from '@hono/zod-openapi';
import { schema } from '@paylinks/db';
import { and, asc, eq } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import type { MemberEnv } from '../auth/caller.js';
import { requireRole } from '../auth/require-member.js';
import { notFound } from '../http/not-found.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import { connectMethod, publicMethodColumns } from './connect-method.js';
import { deleteMethod } from './delete-method.js';
import { uniqueDisplayName } from './display-names.js';
import {
  connectMethodBody,
  methodIdParams,
  paymentMethodSchema,
  providerSchema,
  updateMethodBody,
} from './payment-method-schemas.js';
import { presentMethod } from './present-method.js';
import { describeProviders } from './provider-catalogue.js';

const tags = ['Payment settings'];
const json = <S extends z.ZodType>(description: string, s: S) => ({
  description,
  content: { 'application/json': { schema: s } },
});

const providersRoute = createRoute({
  method: 'get',
  path: '/providers',
  operationId: 'listPaymentProviders',
  tags,
  summary: 'Payment providers the installed plugins offer, with the JSON Schema of each connect form',
  responses: {
    200: json('Providers', z.object({ providers: z.array(providerSchema) })),
    ...problemResponses(401),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listPaymentMethods',
  tags,
  summary: "The workspace's payment methods, oldest first (credentials are never returned)",
  responses: {
    200: json('Payment methods', z.object({ paymentMethods: z.array(paymentMethodSchema) })),
    ...problemResponses(401),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getPaymentMethod',
  tags,
  summary: 'One payment method',
  request: { params: methodIdParams },
  responses: { 200: json('Payment method', paymentMethodSchema), ...problemResponses(401, 404, 422) },
});

const connectRoute = createRoute({
  method: 'post',
  path: '/',
  operationId: 'connectPaymentMethod',
  tags,
  summary:
    'Connect a provider (owner or admin). Credentials are checked with the provider, then stored encrypted',
  request: { body: { required: true, content: { 'application/json': { schema: connectMethodBody } } } },
  responses: {
    201: json('Connected', paymentMethodSchema),
    ...problemResponses(401, 403, 409, 422, 503),
  },
});

const updateRoute = createRoute({
  method: 'patch',
  path: '/{id}',
  operationId: 'updatePaymentMethod',
  tags,
  summary: 'Rename, enable or disable a payment method (owner or admin)',
  request: {
    params: methodIdParams,
    body: { required: true, content: { 'application/json': { schema: updateMethodBody } } },
  },
  responses: { 200: json('Updated', paymentMethodSchema), ...problemResponses(401, 403, 404, 409, 422) },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'deletePaymentMethod',
  tags,
  summary:
    'Delete a payment method nothing uses yet (owner or admin); one with links or payments can only be disabled',
  request: { params: methodIdParams },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404, 409, 422) },
});

export function paymentMethodsRoutes(ctx: AppContext) {
  const { db } = ctx;
  const byId = (workspaceId: string, id: string) =>
    and(eq(schema.paymentMethods.workspaceId, workspaceId), eq(schema.paymentMethods.id, id));

  return createRouter<MemberEnv>()
    .openapi(providersRoute, (c) => c.json({ providers: describeProviders(ctx.providers) }, 200))
    .openapi(listRoute, async (c) => {
      const rows = await db
        .select(publicMethodColumns)
        .from(schema.paymentMethods)
        .where(eq(schema.paymentMethods.workspaceId, c.get('caller').workspaceId))
        .orderBy(asc(schema.paymentMethods.createdAt), asc(schema.paymentMethods.id));
      return c.json({ paymentMethods: rows.map((row) => presentMethod(row, ctx)) }, 200);
    })
    .openapi(getRoute, async (c) => {
      const [row] = await db
        .select(publicMethodColumns)
        .from(schema.paymentMethods)
        .where(byId(c.get('caller').workspaceId, c.req.valid('param').id));
      if (!row) throw notFound('id', 'payment method');
      return c.json(presentMethod(row, ctx), 200);
    })
    .openapi(connectRoute, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner', 'admin']);
      const row = await connectMethod(ctx, caller.workspaceId, c.req.valid('json'));
      return c.json(presentMethod(row, ctx), 201);
    })
    .openapi(updateRoute, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner', 'admin']);
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const [existing] = await db
        .select({ id: schema.paymentMethods.id })
        .from(schema.paymentMethods)
        .where(byId(caller.workspaceId, id));
      if (!existing) throw notFound('id', 'payment method');
      const displayName =
        body.displayName === undefined
          ? undefined
          : await uniqueDisplayName(db, caller.workspaceId, body.displayName, {
              explicit: true,
              exceptId: id,
            });
      const [row] = await db
        .update(schema.paymentMethods)
        .set({
          ...(displayName === undefined ? {} : { displayName }),
          ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
          updatedAt: ctx.clock.now(),
        })
        .where(byId(caller.workspaceId, id))
        .returning(publicMethodColumns);
      if (!row) throw notFound('id', 'payment method');
      ctx.logger.info('payment method updated', {
        workspaceId: caller.workspaceId,
        methodId: id,
        ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
      });
      return c.json(presentMethod(row, ctx), 200);
    })
    .openapi(deleteRoute, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner', 'admin']);
      const { id } = c.req.valid('param');
      await deleteMethod(db, caller.workspaceId, id);
      ctx.logger.info('payment method deleted', { workspaceId: caller.workspaceId, methodId: id });
      return c.body(null, 204);
    });
}
