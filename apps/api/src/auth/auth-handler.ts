import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { problemResponse } from '../http/problem.js';
import type { Auth } from './auth.js';
import { watchAuthDatabase } from './auth-database-failures.js';

/**
 * Serves better-auth's routes, turning its JSON errors into our problem+json with a stable code. A
 * refusal it gave because the database was unreachable (sign-in's "invalid email or password")
 * becomes the outage it was, for the error handler to answer 503.
 */
export function authHandler(auth: Auth) {
  return async (c: Context): Promise<Response> => {
    const { value: response } = await watchAuthDatabase(
      () => auth.handler(c.req.raw),
      (answer) => answer.status >= 400,
    );
    if (response.status < 400 || !response.headers.get('content-type')?.includes('application/json')) {
      return response;
    }
    const body = (await response.json().catch(() => ({}))) as { code?: unknown; message?: unknown };
    const code = typeof body.code === 'string' ? body.code.toLowerCase() : 'auth_refused';
    const message = typeof body.message === 'string' ? body.message : 'Refused.';
    return problemResponse(c, response.status as ContentfulStatusCode, { code, message });
  };
}
