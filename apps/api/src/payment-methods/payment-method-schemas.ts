import { z } from '@hono/zod-openapi';
import { text } from '../http/text-schema.js';

const currenciesSchema = z
  .union([z.literal('all'), z.array(z.string())])
  .openapi({ description: "ISO 4217 codes the method can charge, or 'all' when the provider decides" });

const capabilitiesSchema = z.object({
  refunds: z.boolean(),
  partialRefunds: z
    .boolean()
    .openapi({ description: 'Refunds of part of the amount, several per payment, up to what was paid' }),
  statusFetch: z.boolean(),
  cancelCheckout: z.boolean(),
});

export const providerSchema = z
  .object({
    id: z.string(),
    displayName: z.string(),
    currencies: currenciesSchema,
    capabilities: capabilitiesSchema,
    credentialsSchema: z.record(z.string(), z.unknown()).optional().openapi({
      description:
        'JSON Schema (2020-12) of the connect form. Absent when the plugin schema cannot be expressed in JSON Schema.',
    }),
  })
  .openapi('PaymentProvider');

export const paymentMethodSchema = z
  .object({
    id: z.uuid(),
    providerId: z.string(),
    providerName: z.string(),
    providerInstalled: z.boolean().openapi({
      description: 'False when the plugin was removed from this deployment; the method cannot take payments.',
    }),
    displayName: z.string(),
    enabled: z.boolean(),
    mode: z.enum(['test', 'live']),
    currencies: currenciesSchema,
    capabilities: capabilitiesSchema,
    webhookUrl: z
      .url()
      .openapi({ description: "Paste this into the provider's dashboard where it asks for a webhook URL." }),
    createdAt: z.iso.datetime(),
  })
  .openapi('PaymentMethod');

const displayName = text({ min: 1, max: 100 });

export const connectMethodBody = z
  .object({
    providerId: text({ min: 1, max: 64, trim: false }).openapi({ example: 'sandbox' }),
    displayName: displayName.optional().openapi({ description: "Defaults to the provider's name" }),
    mode: z.enum(['test', 'live']).optional().openapi({
      description: "Defaults to 'test' for the sandbox (which is test-only) and 'live' otherwise",
    }),
    credentials: z.record(text({ max: 100, trim: false }), z.unknown()).openapi({
      description: "The connect form, checked against the provider's credentialsSchema",
      example: {},
    }),
  })
  .strict()
  .openapi('ConnectPaymentMethod');

export const updateMethodBody = z
  .object({ displayName: displayName.optional(), enabled: z.boolean().optional() })
  .strict()
  .refine((body) => body.displayName !== undefined || body.enabled !== undefined, {
    message: 'Send displayName, enabled or both.',
  })
  .openapi('UpdatePaymentMethod', { minProperties: 1 });

export const methodIdParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }),
});
