import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { notFoundHandler } from '../http/error-handler.js';
import { problemResponse } from '../http/problem.js';
import type { Auth } from './auth.js';
import { watchAuthDatabase } from './auth-database-failures.js';
import { assertOfferedRoutesExist, isOfferedAuthRoute } from './offered-auth-routes.js';

/**
 * Serves the better-auth routes we offer (offered-auth-routes.ts), turning its JSON errors into our
 * problem+json with a stable code. A refusal it gave because the database was unreachable
 * (sign-in's "invalid email or password") becomes the outage it was, for the error handler to
 * answer 503. Any other path under /api/auth answers exactly like a route we do not have.
 */
export function authHandler(auth: Auth) {
  assertOfferedRoutesExist(auth);
  return async (c: Context): Promise<Response> => {
    if (!isOfferedAuthRoute(c.req.method, new URL(c.req.url).pathname)) return notFoundHandler(c);
    const { value: response } = await watchAuthDatabase(
      () => auth.handler(c.req.raw),
      (answer) => answer.status >= 400,
    );
    if (response.status < 400 || !response.headers.get('content-type')?.includes('application/json')) {
      return response;
    }
    const body = (await response.json().catch(() => ({}))) as { code?: unknown; message?: unknown };
    const message = typeof body.message === 'string' ? body.message : 'Refused.';
    const code = unparsableBody(response.status, message)
      ? 'malformed_json'
      : typeof body.code === 'string'
        ? body.code.toLowerCase()
        : 'auth_refused';
    return problemResponse(c, response.status as ContentfulStatusCode, { code, message });
  };
}

/** better-auth names an unparsable body only in its message; our routes call it malformed_json. */
function unparsableBody(status: number, message: string): boolean {
  return status === 400 && message.startsWith('Invalid JSON');
}
