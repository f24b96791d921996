import { z } from '@hono/zod-openapi';
import { text } from '../http/text-schema.js';

/** Bounds that keep every pipeline listing and board a fixed, small size. */
export const maxPipelinesPerWorkspace = 50;
export const maxStagesPerPipeline = 30;

const name = (what: string) =>
  text({ min: 1, max: 100 }).openapi({ description: `Name of the ${what}, 1–100 characters` });

export const stageSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    position: z.number().int().openapi({ description: '0-based place in the pipeline' }),
  })
  .openapi('Stage');

export const pipelineSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    isDefault: z.boolean().openapi({ description: 'Contact-origin payments create their deal here' }),
    createdAt: z.iso.datetime(),
    stages: z.array(stageSchema).openapi({ description: 'In board order' }),
  })
  .openapi('Pipeline');

export const pipelineListSchema = z.object({ pipelines: z.array(pipelineSchema) }).openapi('PipelineList');

export const pipelineParams = z.object({ id: z.uuid() });
export const stageParams = z.object({ id: z.uuid(), stageId: z.uuid() });

export const createPipelineBody = z
  .object({
    name: name('pipeline'),
    stages: z
      .array(name('stage'))
      .min(1)
      .max(maxStagesPerPipeline)
      .openapi({ description: 'Stage names in board order' }),
  })
  .strict()
  .openapi('CreatePipeline');

export const renamePipelineBody = z
  .object({ name: name('pipeline') })
  .strict()
  .openapi('RenamePipeline');

export const addStageBody = z
  .object({
    name: name('stage'),
    position: z
      .number()
      .int()
      .min(0)
      .max(maxStagesPerPipeline)
      .optional()
      .openapi({ description: 'Where to insert (0 = first); at the end when omitted' }),
  })
  .strict()
  .openapi('AddStage');

export const renameStageBody = z
  .object({ name: name('stage') })
  .strict()
  .openapi('RenameStage');

export const reorderStagesBody = z
  .object({
    stageIds: z
      .array(z.uuid())
      .min(1)
      .max(maxStagesPerPipeline)
      .openapi({ description: 'Every stage id of the pipeline, each once, in the new order' }),
  })
  .strict()
  .openapi('ReorderStages');

export type PipelineView = z.infer<typeof pipelineSchema>;
export type StageView = z.infer<typeof stageSchema>;
