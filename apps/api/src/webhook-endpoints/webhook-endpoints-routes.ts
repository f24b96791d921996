import { createRoute, z } from '@hono/zod-openapi';
import { webhookEndpoints } from '@paylinks/db';
import { asc, eq } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import type { Caller, MemberEnv } from '../auth/caller.js';
import { requireRole } from '../auth/require-member.js';
import { ProblemError } from '../http/problem.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import { listDeliveries, resendDelivery } from './delivery-log.js';
import {
  createWebhookEndpointBody,
  deliveryIdParams,
  deliveryPageQuery,
  deliveryPageSchema,
  endpointIdParams,
  updateWebhookEndpointBody,
  webhookDeliverySchema,
  webhookEndpointSchema,
  webhookEndpointWithSecretSchema,
} from './webhook-endpoint-schemas.js';
import {
  createEndpoint,
  deleteEndpoint,
  findEndpoint,
  presentEndpoint,
  rotateSecret,
  updateEndpoint,
} from './webhook-endpoint-store.js';
import type { WebhookTargetPolicy } from './webhook-url-guard.js';

const tags = ['Webhook endpoints'];
const json = <S extends z.ZodType>(description: string, s: S) => ({
  description,
  content: { 'application/json': { schema: s } },
});
const body = <S extends z.ZodType>(s: S) => ({
  required: true,
  content: { 'application/json': { schema: s } },
});
const who = 'Owners and admins, or an API key of scope `all`.';

const listRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listWebhookEndpoints',
  tags,
  summary: `The workspace's webhook endpoints, oldest first (secrets are never returned). ${who}`,
  responses: {
    200: json('Endpoints', z.object({ webhookEndpoints: z.array(webhookEndpointSchema) })),
    ...problemResponses(401, 403),
  },
});

const createEndpointRoute = createRoute({
  method: 'post',
  path: '/',
  operationId: 'createWebhookEndpoint',
  tags,
  summary: `Add an endpoint; the answer carries its signing secret, shown this once. ${who}`,
  request: { body: body(createWebhookEndpointBody) },
  responses: {
    201: json('Created, with the secret', webhookEndpointWithSecretSchema),
    ...problemResponses(401, 403, 422),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getWebhookEndpoint',
  tags,
  summary: `One webhook endpoint. ${who}`,
  request: { params: endpointIdParams },
  responses: { 200: json('Endpoint', webhookEndpointSchema), ...problemResponses(401, 403, 404, 422) },
});

const updateRoute = createRoute({
  method: 'patch',
  path: '/{id}',
  operationId: 'updateWebhookEndpoint',
  tags,
  summary: `Change the URL, the event types, the description, or enable or disable it. ${who}`,
  request: { params: endpointIdParams, body: body(updateWebhookEndpointBody) },
  responses: { 200: json('Updated', webhookEndpointSchema), ...problemResponses(401, 403, 404, 422) },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'deleteWebhookEndpoint',
  tags,
  summary: `Delete an endpoint and its delivery log; nothing more is sent to it. ${who}`,
  request: { params: endpointIdParams },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404, 422) },
});

const rotateRoute = createRoute({
  method: 'post',
  path: '/{id}/rotate-secret',
  operationId: 'rotateWebhookEndpointSecret',
  tags,
  summary: `A new signing secret, shown this once; for 24 hours deliveries carry a signature with the old one too. ${who}`,
  request: { params: endpointIdParams },
  responses: {
    200: json('Rotated, with the new secret', webhookEndpointWithSecretSchema),
    ...problemResponses(401, 403, 404, 422),
  },
});

const deliveriesRoute = createRoute({
  method: 'get',
  path: '/{id}/deliveries',
  operationId: 'listWebhookDeliveries',
  tags,
  summary: `The endpoint's delivery log, newest first: status, each try's response code, the next try. ${who}`,
  request: { params: endpointIdParams, query: deliveryPageQuery },
  responses: { 200: json('Deliveries', deliveryPageSchema), ...problemResponses(401, 403, 404, 422) },
});

const resendRoute = createRoute({
  method: 'post',
  path: '/{id}/deliveries/{deliveryId}/resend',
  operationId: 'resendWebhookDelivery',
  tags,
  summary: `Send a delivery's event again (same event id), as a new delivery due now. ${who}`,
  request: { params: deliveryIdParams },
  responses: {
    202: json('Queued', webhookDeliverySchema),
    ...problemResponses(401, 403, 404, 422),
  },
});

/**
 * Managing endpoints decides where this workspace's payment data is sent and who can sign as us,
 * so it is for owners and admins, and for API keys made with the widest scope.
 */
function requireWebhookManager(caller: Caller): void {
  if (caller.via === 'api-key' && caller.scope !== 'all') {
    throw new ProblemError(403, {
      code: 'insufficient_scope',
      message: `This API key has the scope "${caller.scope}"; webhook endpoints need the scope "all".`,
    });
  }
  requireRole(caller, ['owner', 'admin']);
}

export function webhookEndpointsRoutes(ctx: AppContext & { policy: WebhookTargetPolicy }) {
  const { db } = ctx;
  const manager = (caller: Caller) => {
    requireWebhookManager(caller);
    return caller.workspaceId;
  };
  return createRouter<MemberEnv>()
    .openapi(listRoute, async (c) => {
      const workspaceId = manager(c.get('caller'));
      const rows = await db
        .select()
        .from(webhookEndpoints)
        .where(eq(webhookEndpoints.workspaceId, workspaceId))
        .orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id));
      return c.json({ webhookEndpoints: rows.map(presentEndpoint) }, 200);
    })
    .openapi(createEndpointRoute, async (c) => {
      const workspaceId = manager(c.get('caller'));
      const { row, secret } = await createEndpoint(ctx, workspaceId, c.req.valid('json'));
      ctx.logger.info('webhook endpoint created', { workspaceId, endpointId: row.id });
      return c.json({ ...presentEndpoint(row), secret }, 201);
    })
    .openapi(getRoute, async (c) => {
      const workspaceId = manager(c.get('caller'));
      return c.json(presentEndpoint(await findEndpoint(db, workspaceId, c.req.valid('param').id)), 200);
    })
    .openapi(updateRoute, async (c) => {
      const workspaceId = manager(c.get('caller'));
      const row = await updateEndpoint(ctx, workspaceId, c.req.valid('param').id, c.req.valid('json'));
      return c.json(presentEndpoint(row), 200);
    })
    .openapi(deleteRoute, async (c) => {
      const workspaceId = manager(c.get('caller'));
      const { id } = c.req.valid('param');
      await deleteEndpoint(db, workspaceId, id);
      ctx.logger.info('webhook endpoint deleted', { workspaceId, endpointId: id });
      return c.body(null, 204);
    })
    .openapi(rotateRoute, async (c) => {
      const workspaceId = manager(c.get('caller'));
      const { id } = c.req.valid('param');
      const { row, secret } = await rotateSecret(ctx, workspaceId, id);
      ctx.logger.info('webhook endpoint secret rotated', { workspaceId, endpointId: id });
      return c.json({ ...presentEndpoint(row), secret }, 200);
    })
    .openapi(deliveriesRoute, async (c) => {
      const workspaceId = manager(c.get('caller'));
      const { id } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      await findEndpoint(db, workspaceId, id);
      return c.json(await listDeliveries(db, { workspaceId, endpointId: id, limit, cursor }), 200);
    })
    .openapi(resendRoute, async (c) => {
      const workspaceId = manager(c.get('caller'));
      const { id, deliveryId } = c.req.valid('param');
      const delivery = await resendDelivery(db, ctx.clock, { workspaceId, endpointId: id, deliveryId });
      return c.json(delivery, 202);
    });
}
