import { createRoute, z } from '@hono/zod-openapi';
import { type PaylinksDb, schema } from '@paylinks/db';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Clock } from '../app-context.js';
import { ProblemError } from '../http/problem.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import { text } from '../http/text-schema.js';
import { type ApiKeyScope, apiKeyScopes, defaultApiKeyScope, isApiKeyScope } from './api-key-scopes.js';
import type { Auth } from './auth.js';
import type { Caller, MemberEnv } from './caller.js';
import { requireRole } from './require-member.js';

const scopeDescription =
  "What the key may do: `read` only GET/HEAD; `payments` reads, creates and deletes payment links, resumes their checkout, and confirms (`confirm`, `confirm-link`) and refunds payments; `all` everything an API key may do. Outside its scope a key is answered 403 `insufficient_scope`. The role of the key's member still applies.";

const maxExpiresInDays = 365;

const createKeyBodySchema = z.object({
  name: text({ min: 1, max: 64 }),
  expiresInDays: z
    .int()
    .min(1)
    .max(maxExpiresInDays)
    .optional()
    .openapi({ description: `Days until the key stops working (1–${maxExpiresInDays}); omitted: never.` }),
  scope: z
    .enum(apiKeyScopes)
    .optional()
    .openapi({ description: `${scopeDescription} Default \`${defaultApiKeyScope}\`.` }),
});

const apiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string().nullable(),
    start: z.string().nullable(),
    createdAt: z.iso.datetime(),
    scope: z.enum(apiKeyScopes).openapi({ description: scopeDescription }),
    expiresAt: z.iso.datetime().nullable().openapi({
      description: 'When the key stops working (answered 401 `unauthenticated` after); null if never.',
    }),
    lastUsedAt: z.iso.datetime().nullable().openapi({
      description:
        'When the key was last accepted, accurate to a minute (recorded at most once a minute); null if never.',
    }),
  })
  .openapi('ApiKey');

const createdKeySchema = apiKeySchema
  .extend({ key: z.string().openapi({ description: 'The key itself: shown once, stored only as a hash.' }) })
  .openapi('CreatedApiKey');

const listRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listApiKeys',
  tags: ['Team'],
  summary: 'API keys of this workspace',
  responses: {
    200: {
      description: 'Keys (never the key itself)',
      content: { 'application/json': { schema: z.object({ apiKeys: z.array(apiKeySchema) }) } },
    },
    ...problemResponses(401, 403),
  },
});

const createKeyRoute = createRoute({
  method: 'post',
  path: '/',
  operationId: 'createApiKey',
  tags: ['Team'],
  summary: 'Create an API key (owner or admin, signed in); send it as Authorization: Bearer <key>',
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: createKeyBodySchema } },
    },
  },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: createdKeySchema } } },
    ...problemResponses(401, 403, 422),
  },
});

const revokeRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'deleteApiKey',
  tags: ['Team'],
  summary: 'Revoke an API key; it stops working at once',
  request: { params: z.object({ id: z.uuid() }) },
  responses: { 204: { description: 'Revoked' }, ...problemResponses(401, 403, 404, 422) },
});

// Keys act in the workspace recorded in their metadata; only the key's row holds that link.
export const apiKeyInWorkspace = (workspaceId: string) =>
  sql`(${schema.apikey.metadata})::jsonb ->> 'workspaceId' = ${workspaceId}`;

function requireSignedInManager(caller: Caller) {
  if (caller.via !== 'session') {
    throw new ProblemError(403, { code: 'session_required', message: 'Sign in to manage API keys.' });
  }
  requireRole(caller, ['owner', 'admin']);
}

/** The scope recorded in a key's metadata, read as api-key-verification.ts reads it. */
function scopeOf(metadata: unknown): ApiKeyScope {
  const parsed = typeof metadata === 'string' ? safeJson(metadata) : metadata;
  const scope = parsed && typeof parsed === 'object' ? (parsed as { scope?: unknown }).scope : undefined;
  if (scope === undefined || scope === null) return defaultApiKeyScope;
  return isApiKeyScope(scope) ? scope : 'read';
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const dayMs = 24 * 60 * 60 * 1000;

export function apiKeysRoutes(deps: { auth: Auth; db: PaylinksDb; clock: Clock }) {
  const { auth, db, clock } = deps;
  const present = (k: {
    id: string;
    name: string | null;
    start: string | null;
    createdAt: Date;
    expiresAt: Date | null;
    lastRequest: Date | null;
    metadata: unknown;
  }) => ({
    id: k.id,
    name: k.name,
    start: k.start,
    createdAt: k.createdAt.toISOString(),
    scope: scopeOf(k.metadata),
    expiresAt: k.expiresAt?.toISOString() ?? null,
    lastUsedAt: k.lastRequest?.toISOString() ?? null,
  });
  return createRouter<MemberEnv>()
    .openapi(listRoute, async (c) => {
      const caller = c.get('caller');
      requireSignedInManager(caller);
      const rows = await db
        .select()
        .from(schema.apikey)
        .where(apiKeyInWorkspace(caller.workspaceId))
        .orderBy(desc(schema.apikey.createdAt));
      return c.json({ apiKeys: rows.map(present) }, 200);
    })
    .openapi(createKeyRoute, async (c) => {
      const caller = c.get('caller');
      requireSignedInManager(caller);
      const { name, expiresInDays, scope = defaultApiKeyScope } = c.req.valid('json');
      // Server-side call without headers: the user id and metadata are ours to set.
      const created = await auth.api.createApiKey({
        body: { name, userId: caller.userId, metadata: { workspaceId: caller.workspaceId, scope } },
      });
      // The expiry is counted on our clock, the one the key check compares it with (better-auth's
      // expiresIn would count on its own). The key is shown only after this, so it never works unexpiring.
      const expiresAt =
        expiresInDays === undefined ? null : new Date(clock.now().getTime() + expiresInDays * dayMs);
      if (expiresAt)
        await db.update(schema.apikey).set({ expiresAt }).where(eq(schema.apikey.id, created.id));
      return c.json(
        {
          ...present({
            ...created,
            createdAt: new Date(created.createdAt),
            expiresAt,
            lastRequest: null,
            metadata: { scope },
          }),
          key: created.key,
        },
        201,
      );
    })
    .openapi(revokeRoute, async (c) => {
      const caller = c.get('caller');
      requireSignedInManager(caller);
      const deleted = await db
        .delete(schema.apikey)
        .where(and(eq(schema.apikey.id, c.req.valid('param').id), apiKeyInWorkspace(caller.workspaceId)))
        .returning({ id: schema.apikey.id });
      if (deleted.length === 0)
        throw new ProblemError(404, { code: 'not_found', field: 'id', message: 'No such API key.' });
      return c.body(null, 204);
    });
}
