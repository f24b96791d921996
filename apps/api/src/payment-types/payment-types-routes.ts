import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../app-context.js';
import type { MemberEnv } from '../auth/caller.js';
import { moneySchema, presentMoney } from '../http/money-schema.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import { installedPaymentTypes } from './installed-payment-types.js';
import { paymentTypeContext } from './payment-type-context.js';

const optionSchema = z
  .object({
    id: z.string().openapi({ description: "Send it as the type's option field (EDU: courseId)" }),
    label: z.string(),
    amount: moneySchema,
    description: z.string(),
  })
  .openapi('PaymentTypeOption');

const paymentTypeSchema = z
  .object({
    id: z.string().openapi({ example: 'edu' }),
    label: z.string().openapi({ example: 'EDU payment' }),
    options: z.array(optionSchema).optional().openapi({
      description:
        'What the link form offers for this type (EDU: paid, published courses); absent for custom',
    }),
  })
  .openapi('PaymentType');

const listRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listPaymentTypes',
  tags: ['Payment links'],
  summary: 'The installed payment types and, for plugin types, the options the link form offers',
  responses: {
    200: {
      description: 'custom first, then each installed type plugin',
      content: { 'application/json': { schema: z.object({ items: z.array(paymentTypeSchema) }) } },
    },
    ...problemResponses(401),
  },
});

export function paymentTypesRoutes(ctx: AppContext) {
  const router = createRouter<MemberEnv>();
  router.openapi(listRoute, async (c) => {
    const { workspaceId } = c.get('caller');
    const plugins = await Promise.all(
      installedPaymentTypes.map(async (type) => ({
        id: type.id,
        label: type.label,
        options: (await type.options(paymentTypeContext(ctx, type), workspaceId)).map((option) => ({
          id: option.id,
          label: option.label,
          amount: presentMoney(option.amount),
          description: option.description,
        })),
      })),
    );
    return c.json({ items: [{ id: 'custom', label: 'Custom' }, ...plugins] }, 200);
  });
  return router;
}
