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
const signedIn = z
  .object({ redirect: z.boolean(), token: z.string(), user: sessionUser })
  .openapi('SignedIn');
const passwordChanged = z
  .object({ token: z.string().nullable(), user: sessionUser })
  .openapi('PasswordChanged');
const signedOut = z.object({ success: z.boolean() }).openapi('SignedOut');

const json = <S>(description: string, schema: S) => ({
  description,
  content: { 'application/json': { schema } },
});
const withCookie = <R extends object>(response: R) => ({
  ...response,
  headers: { 'Set-Cookie': { description: 'The session cookie', schema: { type: 'string' as const } } },
});
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});
// As better-auth checks it (auth.int.test.ts, origin.int.test.ts): a request that carries a cookie
// must send our Origin; an Origin that is not ours is refused, cookie or not. A first sign-in from a
// non-browser client sends neither, and is accepted: there is no session yet to ride on.
const originRule =
  'A foreign or `null` Origin is refused (`invalid_origin`); a request carrying a cookie must send our Origin (`missing_or_null_origin`).';
const foreignOrigin = problem(originRule);
const badBody = problem(
  'The body is not JSON (`malformed_json`), or a field is missing or of the wrong type (`validation_error`)',
);

type AuthOperation = Omit<Parameters<OpenAPIHono['openAPIRegistry']['registerPath']>[0], 'method' | 'path'>;

/**
 * better-auth serves these itself under /api/auth/*; they are described here so the OpenAPI
 * document covers every way in, and nothing else of better-auth's is reachable. Its refusals reach
 * the client as our problem+json (auth-handler.ts).
 */
const operations: Record<string, AuthOperation> = {
  'POST /sign-in/email': {
    operationId: 'signIn',
    summary: 'Sign in with email and password; sets the session cookie',
    description: `${originRule} Repeated failures are slowed, then refused with 429.`,
    security: [],
    request: { body: { required: true, content: { 'application/json': { schema: signInBody } } } },
    responses: {
      200: withCookie(json('Signed in', signedIn)),
      400: badBody,
      401: problem('Wrong email or password (`invalid_email_or_password`)'),
      403: foreignOrigin,
    },
  },
  'POST /sign-out': {
    operationId: 'signOut',
    summary: 'Sign out; the session cookie stops working',
    description: `No body is needed; one that is sent must be application/json. Answers 200 when there was no session too. ${originRule}`,
    security: [{ session: [] }],
    request: {
      body: { required: false, content: { 'application/json': { schema: z.object({}).openapi('SignOut') } } },
    },
    responses: { 200: withCookie(json('Signed out (the cookie is cleared)', signedOut)), 403: foreignOrigin },
  },
  'GET /get-session': {
    operationId: 'getSession',
    summary: 'The signed-in user and session, or null when not signed in',
    security: [{ session: [] }],
    responses: { 200: json('The session, or null', currentSession) },
  },
  'POST /change-password': {
    operationId: 'changePassword',
    summary: "Change the signed-in user's password; ends all their other sessions",
    description: `Every session of the user ends, this one included; the answer sets a fresh session cookie, so the caller stays signed in. ${originRule}`,
    security: [{ session: [] }],
    request: { body: { required: true, content: { 'application/json': { schema: changePasswordBody } } } },
    responses: {
      200: withCookie(json('Password changed; Set-Cookie carries the new session', passwordChanged)),
      400: problem(
        'The current password is wrong, the new one is too short or too long, or the body is not valid (`malformed_json`, `validation_error`)',
      ),
      401: problem('Not signed in (`unauthorized`)'),
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
