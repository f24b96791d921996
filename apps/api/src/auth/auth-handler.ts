import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { problemResponse } from '../http/problem.js';
import type { Auth } from './auth.js';

/** Serves better-auth's routes, turning its JSON errors into our problem+json with a stable code. */
export function authHandler(auth: Auth) {
  return async (c: Context): Promise<Response> => {
    const response = await auth.handler(c.req.raw);
    if (response.status < 400 || !response.headers.get('content-type')?.includes('application/json')) {
      return response;
    }
    const body = (await response.json().catch(() => ({}))) as { code?: unknown; message?: unknown };
    const code = typeof body.code === 'string' ? body.code.toLowerCase() : 'auth_refused';
    const message = typeof body.message === 'string' ? body.message : 'Refused.';
    return problemResponse(c, response.status as ContentfulStatusCode, { code, message });
  };
}
