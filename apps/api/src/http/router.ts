import { OpenAPIHono } from '@hono/zod-openapi';
import { validationHook } from './validation.js';

/** Every router validates with zod and answers refusals as problem+json through the same hook. */
export function createRouter(): OpenAPIHono {
  return new OpenAPIHono({ defaultHook: validationHook });
}
