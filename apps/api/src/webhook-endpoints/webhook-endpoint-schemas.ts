import { z } from '@hono/zod-openapi';
import { webhookDeliveryStatuses } from '@paylinks/db';
import { eventTypes } from '../events/event-types.js';
import { pageQuerySchema } from '../http/pagination.js';
import { text } from '../http/text-schema.js';

const eventTypesSchema = z
  .union([z.literal('all'), z.array(z.enum(eventTypes)).min(1).max(eventTypes.length)])
  .openapi({ description: "The event types sent to this endpoint, or 'all' (types added later included)" });

export const webhookEndpointSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string(),
    eventTypes: eventTypesSchema,
    enabled: z.boolean(),
    previousSecretExpiresAt: z.iso.datetime().nullable().openapi({
      description: 'After a rotation, until when deliveries also carry a signature with the previous secret',
    }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('WebhookEndpoint');

const secretField = z.string().openapi({
  description: 'The signing secret (whsec_…). Shown only in this answer: store it now.',
  example: 'whsec_5Fj…',
});

export const webhookEndpointWithSecretSchema = webhookEndpointSchema
  .extend({ secret: secretField })
  .openapi('WebhookEndpointWithSecret');

const url = text({ min: 1, max: 2048, trim: true }).openapi({
  description:
    'http(s) URL that receives the events. Private, loopback and link-local addresses, and Paylinks itself, are refused unless PAYLINKS_WEBHOOKS_ALLOW_PRIVATE=true.',
  example: 'https://crm.example.com/hooks/paylinks',
});
const description = text({ max: 200 });

export const createWebhookEndpointBody = z
  .object({
    url,
    eventTypes: eventTypesSchema.optional().openapi({ description: "Defaults to 'all'" }),
    description: description.optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .openapi('CreateWebhookEndpoint');

export const updateWebhookEndpointBody = z
  .object({
    url: url.optional(),
    eventTypes: eventTypesSchema.optional(),
    description: description.optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'Send at least one field to change.' })
  .openapi('UpdateWebhookEndpoint', { minProperties: 1 });

const attemptSchema = z
  .object({
    attemptedAt: z.iso.datetime(),
    responseCode: z.number().int().nullable().openapi({ description: 'Null when no answer came' }),
    error: z.string().nullable(),
    durationMs: z.number().int(),
  })
  .openapi('WebhookDeliveryAttempt');

export const webhookDeliverySchema = z
  .object({
    id: z.uuid(),
    eventId: z.uuid().openapi({ description: 'The Paylinks-Event-Id header of the delivery' }),
    eventType: z.enum(eventTypes),
    status: z.enum(webhookDeliveryStatuses),
    attempts: z.number().int(),
    nextAttemptAt: z.iso.datetime().nullable(),
    lastAttemptAt: z.iso.datetime().nullable(),
    lastResponseCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    attemptLog: z.array(attemptSchema).openapi({ description: 'Every try, oldest first' }),
  })
  .openapi('WebhookDelivery');

export const deliveryPageSchema = z
  .object({ deliveries: z.array(webhookDeliverySchema), nextCursor: z.string().nullable() })
  .openapi('WebhookDeliveryPage');

export const endpointIdParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }),
});

export const deliveryIdParams = endpointIdParams.extend({
  deliveryId: z.uuid().openapi({ param: { name: 'deliveryId', in: 'path' } }),
});

export const deliveryPageQuery = pageQuerySchema;
