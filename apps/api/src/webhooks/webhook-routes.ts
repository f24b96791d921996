import type { WebhookResult } from '@paylinks/core';
import type { AppContext } from '../app-context.js';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';
import { createRouter } from '../http/router.js';
import { errorFields } from '../logger.js';
import { openMethodCredentials } from '../payment-methods/method-lookup.js';
import { findWebhookMethod } from './webhook-method.js';
import { type ReceiptOutcome, receiveWebhookEvent } from './webhook-receipt.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Where providers post their events: public, authenticated by the provider's signature over the raw
 * body. Not in the OpenAPI document on purpose: it is the providers' contract, not our API's.
 * Bodies, signatures and secrets are never logged.
 */
export function webhookRoutes(ctx: AppContext) {
  const { db, logger } = ctx;
  // Bodies are capped before this runs (http/body-limit.ts, WEBHOOK_BODY_LIMIT).
  return createRouter().post('/:methodId', async (c) => {
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
