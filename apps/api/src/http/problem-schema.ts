import { z } from '@hono/zod-openapi';

const problemDetail = z.object({ code: z.string(), field: z.string().optional(), message: z.string() });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().openapi({ description: 'Stable machine-readable code' }),
    field: z.string().optional().openapi({ description: 'The input at fault, as a dotted path' }),
    detail: z.string(),
    errors: z.array(problemDetail).optional(),
  })
  .openapi('Problem');

const descriptions: Record<number, string> = {
  400: 'Malformed request',
  401: 'Not signed in, or the API key is not valid',
  403: 'Not allowed (role, API key scope `insufficient_scope`, or a cross-origin request)',
  404: 'Not found in this workspace',
  409: 'Conflicts with the current state',
  410: 'Gone',
  422: 'Invalid input; `field` names it',
  429: 'Too many requests (`rate_limited`); retry after Retry-After seconds',
  503: 'Not available right now; retry after Retry-After seconds',
};

// The refusals that say when to come back (rate limits, an unreachable database) say so in Retry-After.
const retryAfterStatuses = new Set([429, 503]);
const retryAfterHeader = {
  'Retry-After': {
    description: 'Seconds to wait before retrying',
    schema: { type: 'integer' as const, minimum: 0 },
  },
};

/** OpenAPI response entries for the refusals a route can answer. */
export function problemResponses<const S extends number>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: descriptions[status] ?? 'Refused',
        ...(retryAfterStatuses.has(status) ? { headers: retryAfterHeader } : {}),
        content: { 'application/problem+json': { schema: problemSchema } },
      },
    ]),
  ) as Record<
    S,
    { description: string; content: { 'application/problem+json': { schema: typeof problemSchema } } }
  >;
}
