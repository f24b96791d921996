import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { problemSchema } from '../http/problem-schema.js';

const signInBody = z.object({ email: z.email(), password: z.string() }).openapi('SignIn');
const authError = {
  content: { 'application/json': { schema: z.object({ code: z.string(), message: z.string() }) } },
};

/**
 * better-auth serves sign-in and sign-out itself under /api/auth/*; they are described here so the
 * OpenAPI document covers every way in. They need our Origin header, like every cookie mutation.
 */
export function registerAuthPaths<E extends Env>(app: OpenAPIHono<E>): void {
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/api/auth/sign-in/email',
    tags: ['Team'],
    summary: 'Sign in with email and password; sets the session cookie',
    security: [],
    request: { body: { required: true, content: { 'application/json': { schema: signInBody } } } },
    responses: {
      200: { description: 'Signed in (Set-Cookie)' },
      401: { description: 'Wrong email or password', ...authError },
      403: { description: 'Missing or foreign Origin', ...authError },
    },
  });
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/api/auth/sign-out',
    tags: ['Team'],
    summary: 'Sign out; the session cookie stops working',
    security: [{ session: [] }],
    responses: {
      200: { description: 'Signed out' },
      403: {
        description: 'Missing or foreign Origin',
        content: { 'application/json': { schema: problemSchema } },
      },
    },
  });
}
