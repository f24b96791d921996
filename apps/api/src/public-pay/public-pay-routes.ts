import { createRoute } from '@hono/zod-openapi';
import { createMoney, daysLeft } from '@paylinks/core';
import type { AppContext } from '../app-context.js';
import { presentMoney } from '../http/money-schema.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import { checkoutVisitor, recordClickThrough, returningVisitorKey } from './click-through-recorder.js';
import { methodUnavailable, withPayerFacingRefusals } from './method-unavailable.js';
import { paymentReturn } from './payment-return.js';
import { assertPayable, readPublicLink } from './public-link.js';
import {
  checkoutBody,
  checkoutResultSchema,
  publicLinkSchema,
  publicPaymentStatusSchema,
  statusQuery,
  tags,
  tokenParams,
} from './public-pay-schemas.js';
import { rateLimit } from './rate-limit.js';
import { startCheckout } from './start-checkout.js';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

const viewRoute = createRoute({
  method: 'get',
  path: '/{token}',
  operationId: 'getPaymentPage',
  security: [],
  tags,
  summary: 'Open a payment link: its public view, and the payment this visit records',
  description:
    'Never shows the payer, contact, deal or workspace. A GET by a person in a browser records a click-through ' +
    '(a payment in Processing); previews, prefetches, HEAD and refreshes within 30 minutes record nothing. ' +
    'Sets the httpOnly cookie `paylinks_visitor`. Beyond 30 recorded visits a minute per link the page is ' +
    "still served, with the visitor's own open payment or `paymentId` null (checkout records it), and the " +
    'visit is counted on the link. Expired, deleted and paid links answer 410; a link paused after too ' +
    'many failed attempts 423 `checkout_paused`; a link whose ' +
    'payment method cannot take payments now (the team disabled it, or its plugin is not installed) answers ' +
    '503 `method_unavailable` and records nothing.',
  request: { params: tokenParams },
  responses: {
    200: { description: 'The link', content: json(publicLinkSchema) },
    ...problemResponses(404, 410, 422, 423, 429, 503),
  },
});

const checkoutRoute = createRoute({
  method: 'post',
  path: '/{token}/checkout',
  operationId: 'startCheckout',
  security: [],
  tags,
  summary: "Start the provider's checkout for the payment this visit recorded",
  description:
    'Declined cards answer 402 with the provider code (`card_declined`, `insufficient_funds`) and the payment is Cancelled; ' +
    'the payer may try another card on the same payment, 3 declines in all, then 409 `too_many_attempts`; ' +
    'any other payment not in Processing answers 409; 20 failed attempts (declined or invalid) on a link in ' +
    'an hour pause its checkout: 423 `checkout_paused` until the team resumes it; an unavailable provider ' +
    '503 `provider_unavailable`; a payment method that cannot take payments now 503 `method_unavailable`.',
  request: { params: tokenParams, body: { required: true, content: json(checkoutBody) } },
  responses: {
    200: { description: 'Redirect the payer, or the result', content: json(checkoutResultSchema) },
    ...problemResponses(402, 404, 409, 410, 422, 423, 429, 503),
  },
});

const statusRoute = createRoute({
  method: 'get',
  path: '/{token}/status',
  operationId: 'getPaymentPageStatus',
  security: [],
  tags,
  summary: "The payment's current status, for the page the provider returns the payer to",
  request: { params: tokenParams, query: statusQuery },
  responses: {
    200: { description: 'Current status', content: json(publicPaymentStatusSchema) },
    ...problemResponses(404, 422, 429),
  },
});

export function publicPayRoutes(ctx: AppContext) {
  const router = createRouter();
  router.use('/:token/checkout', rateLimit(ctx, 'checkout'));
  router.use('/:token/status', rateLimit(ctx, 'status'));
  router.use('/:token', rateLimit(ctx, 'view'));

  return router
    .openapi(viewRoute, async (c) => {
      const { token } = c.req.valid('param');
      const at = ctx.clock.now();
      const visitorKey = returningVisitorKey(c, ctx);
      const { link, lastVisit } = await readPublicLink(ctx.db, token, at, { visitorKey });
      // Nothing is recorded for a link that no longer takes payment.
      assertPayable(link);
      const provider = ctx.providers.get(link.providerId);
      if (!provider) throw methodUnavailable();
      const { paymentId } = await recordClickThrough(c, ctx, link, lastVisit);
      const amount = createMoney(link.amountMinor, link.currency);
      if (!amount.ok) throw new Error(`payment link ${link.id} holds an invalid amount`);
      const fieldsSchema = provider.checkoutFieldsSchema as { shape?: Record<string, unknown> } | undefined;
      c.header('cache-control', 'no-store');
      return c.json(
        {
          method: { displayName: link.methodName },
          description: link.description,
          amount: presentMoney(amount.value),
          state: 'active' as const,
          daysLeft: daysLeft(link.expiresAt, at),
          expiresAt: link.expiresAt?.toISOString() ?? null,
          testMode: link.methodMode === 'test',
          checkoutFields: Object.keys(fieldsSchema?.shape ?? {}),
          paymentId,
        },
        200,
      );
    })
    .openapi(checkoutRoute, async (c) => {
      const { token } = c.req.valid('param');
      c.header('cache-control', 'no-store');
      const body = c.req.valid('json');
      return c.json(
        await withPayerFacingRefusals(ctx.logger, () =>
          startCheckout(ctx, token, body, () => checkoutVisitor(c, ctx)),
        ),
        200,
      );
    })
    .openapi(statusRoute, async (c) => {
      const { token } = c.req.valid('param');
      c.header('cache-control', 'no-store');
      return c.json(await paymentReturn(ctx, token, c.req.valid('query').payment), 200);
    });
}
