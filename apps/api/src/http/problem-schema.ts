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
  403: 'Not allowed (role, or a cross-origin request)',
  404: 'Not found in this workspace',
  409: 'Conflicts with the current state',
  410: 'Gone',
  422: 'Invalid input; `field` names it',
  429: 'Too many requests',
};

/** OpenAPI response entries for the refusals a route can answer. */
export function problemResponses<const S extends number>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: descriptions[status] ?? 'Refused',
        content: { 'application/problem+json': { schema: problemSchema } },
      },
    ]),
  ) as Record<
    S,
    { description: string; content: { 'application/problem+json': { schema: typeof problemSchema } } }
  >;
}
