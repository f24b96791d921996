import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppContext } from '../app-context.js';
import type { MemberEnv } from '../auth/caller.js';
import { pageQuerySchema } from '../http/pagination.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER } from '../webhook-endpoints/webhook-signature.js';
import { eventEnvelopeSchema, eventEnvelopeSchemas } from './event-envelope.js';
import { listEvents } from './event-list.js';
import { EVENT_RETENTION_MS } from './event-retention.js';
import { eventDescription, eventTypes } from './event-types.js';

const tags = ['Events'];

const deliveryHeadersSchema = z.object({
  [SIGNATURE_HEADER.toLowerCase()]: z.string().openapi({
    description:
      '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`; two `v1=` while a rotated secret still signs',
    example: 't=1764590400,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd',
  }),
  [EVENT_ID_HEADER.toLowerCase()]: z
    .uuid()
    .openapi({ description: "The event's id, the same on every retry" }),
});
const retentionDays = EVENT_RETENTION_MS / 86_400_000;

const listEventsQuerySchema = pageQuerySchema
  .extend({
    type: z.enum(eventTypes).optional().openapi({ description: 'Only events of this type' }),
    since: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: 'Only events that happened at or after this time (ISO 8601)' }),
  })
  .openapi('ListEventsQuery');

const eventPageSchema = z
  .object({
    items: z.array(eventEnvelopeSchema),
    nextCursor: z
      .string()
      .nullable()
      .openapi({
        description:
          'Where the next call continues; also at the end of the list, so calling again with it later answers ' +
          'only what has happened since. Null only when nothing was ever listed.',
      }),
    hasMore: z.boolean().openapi({ description: 'More events are waiting now: fetch again with nextCursor' }),
  })
  .openapi('EventPage');

const listEventsRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listEvents',
  tags,
  summary: `The workspace's events of the last ${retentionDays} days, oldest first`,
  description:
    'The same events, with the same payloads, as the webhook endpoints receive. Page with `cursor` ' +
    '(opaque) to see each event exactly once; a read-only API key may list them.',
  request: { query: listEventsQuerySchema },
  responses: {
    200: { description: 'One page', content: { 'application/json': { schema: eventPageSchema } } },
    ...problemResponses(401, 422),
  },
});

export function eventsRoutes(ctx: AppContext) {
  return createRouter<MemberEnv>().openapi(listEventsRoute, async (c) => {
    const query = c.req.valid('query');
    const page = await listEvents(ctx, c.get('caller').workspaceId, {
      limit: query.limit,
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      ...(query.type === undefined ? {} : { type: query.type }),
      ...(query.since === undefined ? {} : { since: new Date(query.since) }),
    });
    return c.json(page, 200);
  });
}

/**
 * The OpenAPI 3.1 `webhooks` section: what a webhook endpoint receives, one entry per event type.
 * Registered on the app's own registry, since a mounted router would prefix the names like paths.
 */
export function registerEventWebhooks(registry: OpenAPIHono['openAPIRegistry']): void {
  for (const type of eventTypes) {
    registry.registerWebhook({
      method: 'post',
      path: type,
      operationId: `${type.replace(/[._](\w)/g, (_, letter: string) => letter.toUpperCase())}Webhook`,
      tags: ['Webhook endpoints'],
      summary: `${type}: ${eventDescription(type)}`,
      description:
        'POSTed to each enabled webhook endpoint that wants this type, signed (see the README). The body is ' +
        'the event as `GET /api/events` lists it; deduplicate by `id`.',
      security: [],
      request: {
        headers: deliveryHeadersSchema,
        body: { required: true, content: { 'application/json': { schema: eventEnvelopeSchemas[type] } } },
      },
      responses: { 200: { description: 'Any 2xx answer acknowledges the delivery; others are retried' } },
    });
  }
}
