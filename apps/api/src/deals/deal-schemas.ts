import { z } from '@hono/zod-openapi';
import { externalIdSchema } from '../http/external-id-schema.js';
import { metadataInputSchema, metadataSchema } from '../http/metadata-schema.js';
import { moneyInputSchema, moneySchema } from '../http/money-schema.js';
import { pageQuerySchema } from '../http/pagination.js';
import { text } from '../http/text-schema.js';
import { updatedSinceQuery } from '../sync/sync-page.js';

export const dealSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    contact: z.object({ id: z.uuid(), name: z.string() }).openapi('DealContact'),
    pipelineId: z.uuid(),
    stageId: z.uuid(),
    // A union, not .nullable(): with a description, a nullable reference is drawn as an allOf that refuses null.
    amount: z
      .union([moneySchema, z.null()])
      .openapi({ description: 'The deal value; null when not set yet' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime().openapi({ description: 'When anything shown here last changed' }),
    metadata: metadataSchema,
    externalId: z.string().nullable().openapi({ description: 'Your own id for this deal' }),
  })
  .openapi('Deal');

export const dealPageSchema = z
  .object({
    items: z.array(dealSchema),
    nextCursor: z.string().nullable().openapi({
      description: 'Pass as `cursor` for the next page; null at the end (never null with updatedSince)',
    }),
  })
  .openapi('DealPage');

export const dealParams = z.object({ id: z.uuid() });

const title = text({ min: 1, max: 200 }).openapi({ description: 'What is being sold, 1–200 characters' });
const amountInput = moneyInputSchema
  .nullable()
  .openapi({ description: 'Decimal string plus ISO 4217 currency; null for no value' });

export const createDealBody = z
  .object({
    title,
    contactId: z.uuid(),
    pipelineId: z.uuid().optional().openapi({
      description: "Defaults to the stage's pipeline when stageId is given, else the default pipeline",
    }),
    stageId: z.uuid().optional().openapi({ description: "Defaults to the pipeline's first stage" }),
    amount: amountInput.optional(),
    metadata: metadataInputSchema.optional(),
    externalId: externalIdSchema.optional(),
  })
  .strict()
  .openapi('CreateDeal');

export const updateDealBody = z
  .object({
    title: title.optional(),
    contactId: z.uuid().optional(),
    amount: amountInput.optional(),
    metadata: metadataInputSchema.optional().openapi({ description: 'Replaces the whole map; {} clears it' }),
    externalId: externalIdSchema.nullable().optional().openapi({ description: 'null clears it' }),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'Send at least one field to change.' })
  .openapi('UpdateDeal', {
    description: 'Stage and pipeline change through POST /api/deals/{id}/move',
    minProperties: 1,
  });

export const moveDealBody = z
  .object({
    stageId: z.uuid(),
    pipelineId: z.uuid().optional().openapi({
      description: "Required to move the deal into another pipeline; must be the stage's pipeline",
    }),
  })
  .strict()
  .openapi('MoveDeal');

export const dealListQuery = pageQuerySchema.extend({
  pipelineId: z.uuid().optional(),
  stageId: z.uuid().optional(),
  contactId: z.uuid().optional(),
  externalId: externalIdSchema
    .optional()
    .openapi({ description: 'Exact lookup: the deal with this externalId' }),
  ...updatedSinceQuery,
});

export type DealView = z.infer<typeof dealSchema>;
