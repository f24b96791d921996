import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { problemSchema } from '../http/problem-schema.js';
import { type AuthMethod, authBasePath, offeredAuthRoutes } from './offered-auth-routes.js';

const signInBody = z.object({ email: z.email(), password: z.string() }).openapi('SignIn');
const changePasswordBody = z
  .object({ currentPassword: z.string(), newPassword: z.string().min(12).max(128) })
  .openapi('ChangePassword');
const sessionUser = z.object({ id: z.string(), email: z.string(), name: z.string() });
const currentSession = z
  .object({
    user: sessionUser,
    session: z.object({ expiresAt: z.string(), activeOrganizationId: z.string().nullable() }),
  })
  .nullable()
  .openapi('CurrentSession');

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});
const foreignOrigin = problem('Missing or foreign Origin');

type AuthOperation = Omit<Parameters<OpenAPIHono['openAPIRegistry']['registerPath']>[0], 'method' | 'path'>;

/**
 * better-auth serves these itself under /api/auth/*; they are described here so the OpenAPI
 * document covers every way in, and nothing else of better-auth's is reachable. The mutations need
 * our Origin header, like every cookie mutation.
 */
const operations: Record<string, AuthOperation> = {
  'POST /sign-in/email': {
    summary: 'Sign in with email and password; sets the session cookie',
    security: [],
    request: { body: { required: true, content: { 'application/json': { schema: signInBody } } } },
    responses: {
      200: { description: 'Signed in (Set-Cookie)' },
      401: problem('Wrong email or password'),
      403: foreignOrigin,
    },
  },
  'POST /sign-out': {
    summary: 'Sign out; the session cookie stops working',
    security: [{ session: [] }],
    responses: { 200: { description: 'Signed out' }, 403: foreignOrigin },
  },
  'GET /get-session': {
    summary: 'The signed-in user and session, or null when not signed in',
    security: [{ session: [] }],
    responses: {
      200: { description: 'The session', content: { 'application/json': { schema: currentSession } } },
    },
  },
  'POST /change-password': {
    summary: "Change the signed-in user's password; ends all their other sessions",
    description:
      'Every session of the user ends, this one included; the answer sets a fresh session cookie, so the caller stays signed in.',
    security: [{ session: [] }],
    request: { body: { required: true, content: { 'application/json': { schema: changePasswordBody } } } },
    responses: {
      200: { description: 'Password changed (Set-Cookie: the new session)' },
      400: problem('The current password is wrong, or the new one is too short or too long'),
      401: problem('Not signed in'),
      403: foreignOrigin,
    },
  },
};

export function registerAuthPaths<E extends Env>(app: OpenAPIHono<E>): void {
  for (const { method, path } of offeredAuthRoutes) {
    const operation = operations[`${method} ${path}`];
    if (!operation) throw new Error(`No OpenAPI description for the offered auth route ${method} ${path}`);
    app.openAPIRegistry.registerPath({
      ...operation,
      method: openApiMethod(method),
      path: authBasePath + path,
      tags: ['Team'],
    });
  }
}

function openApiMethod(method: AuthMethod): 'get' | 'post' {
  switch (method) {
    case 'GET':
      return 'get';
    case 'POST':
      return 'post';
    default: {
      const unknown: never = method;
      throw new Error(`Unknown method ${unknown}`);
    }
  }
}
