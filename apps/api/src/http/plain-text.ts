import { z } from '@hono/zod-openapi';

/**
 * PostgreSQL `text` cannot store U+0000: a string holding one makes the query fail, which would
 * be a 500. Every free-text input that reaches SQL (a stored field or a search term) goes through this.
 */
export function plainText(schema: z.ZodString = z.string()): z.ZodString {
  return schema.refine((value) => !value.includes('\u0000'), {
    message: 'Text must not contain the NUL character (U+0000).',
  });
}
