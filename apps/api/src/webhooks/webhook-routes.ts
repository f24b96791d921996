import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { WebhookResult } from '@paylinks/core';
import type { AppContext } from '../app-context.js';
import { WEBHOOK_BODY_LIMIT } from '../http/body-limit.js';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';
import { problemSchema } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import { errorFields } from '../logger.js';
import { openMethodCredentials } from '../payment-methods/method-lookup.js';
import { findWebhookMethod } from './webhook-method.js';
import { type ReceiptOutcome, receiveWebhookEvent } from './webhook-receipt.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const receivedSchema = z
  .object({
    received: z.literal(true),
    applied: z.number().int().min(0).openapi({ description: 'Events that changed a payment' }),
  })
  .openapi('WebhookReceived');
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

/**
 * Documented so integrators and fuzzers see every way in. The body is the provider's own (Stripe
 * sends JSON, Mollie a form with the payment id), read raw for its signature, so it is described
 * as the provider's and never parsed by a schema here.
 */
function describeWebhookRoute(router: OpenAPIHono): void {
  router.openAPIRegistry.registerPath({
    method: 'post',
    path: '/{methodId}',
    operationId: 'receiveProviderWebhook',
    tags: ['Provider webhooks'],
    summary: "A payment provider's event for one connected payment method",
    description: `Public: the provider's signature over the raw body proves it (Mollie: the payment is re-fetched by id). Bodies up to ${WEBHOOK_BODY_LIMIT / 1024} KB. A duplicate event answers 200 and changes nothing.`,
    security: [],
    request: {
      params: z.object({
        methodId: z.string().openapi({ description: 'The payment method id the webhook URL names' }),
      }),
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.object({}).passthrough().openapi({ description: "The provider's event" }),
          },
          'application/x-www-form-urlencoded': {
            schema: z.object({ id: z.string().optional() }).passthrough(),
          },
        },
      },
    },
    responses: {
      200: { description: 'Received', content: { 'application/json': { schema: receivedSchema } } },
      400: problem('The signature or body was not accepted (`webhook_rejected`)'),
      404: problem('No such payment method (`not_found`)'),
      413: problem('The body is larger than the provider limit (`payload_too_large`)'),
      503: problem(
        'Stored, but the payment is not known yet (`payment_not_known_yet`), or the database cannot be reached (`database_unavailable`): deliver it again later',
      ),
    },
  });
}

/**
 * Where providers post their events: public, authenticated by the provider's signature over the raw
 * body. Bodies, signatures and secrets are never logged.
 */
export function webhookRoutes(ctx: AppContext) {
  const { db, logger } = ctx;
  const router = createRouter();
  describeWebhookRoute(router);
  // Bodies are capped before this runs (http/body-limit.ts, WEBHOOK_BODY_LIMIT).
  return router.post('/:methodId', async (c) => {
    const methodId = c.req.param('methodId');
    if (!uuidPattern.test(methodId)) throw notFound('methodId', 'payment method');
    const method = await findWebhookMethod(db, methodId);
    if (!method) throw notFound('methodId', 'payment method');
    const provider = ctx.providers.get(method.providerId);
    if (!provider) {
      logger.error('webhook for a method whose plugin is not installed', { methodId });
      throw notFound('methodId', 'payment method');
    }
    const rawBody = await c.req.text();
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    const credentials = openMethodCredentials(ctx.secretKey, { method, provider });
    const now = ctx.clock.now();
    let parsed: WebhookResult;
    try {
      parsed = await provider.parseWebhook({ rawBody, headers, credentials, now });
    } catch (error) {
      logger.error('webhook parser failed', {
        methodId,
        providerId: provider.id,
        ...errorFields(error),
      });
      parsed = { kind: 'rejected', error: { kind: 'invalid', message: 'The plugin could not read it' } };
    }
    if (parsed.kind === 'rejected') {
      logger.info('webhook rejected', { methodId, providerId: provider.id, code: parsed.error.code });
      throw new ProblemError(400, {
        code: 'webhook_rejected',
        message: 'The webhook signature or body was not accepted.',
      });
    }
    if (parsed.kind === 'ignored') return c.json({ received: true, applied: 0 }, 200);

    const outcomes: ReceiptOutcome[] = [];
    for (const event of parsed.events) {
      outcomes.push(await receiveWebhookEvent(ctx, method, event, now));
    }
    if (outcomes.includes('retry')) {
      throw new ProblemError(503, {
        code: 'payment_not_known_yet',
        message: 'Stored; the payment is not known yet. Deliver it again later.',
      });
    }
    return c.json({ received: true, applied: outcomes.filter((o) => o === 'done').length }, 200);
  });
}
