import { createRoute, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logger.js';
import { createErrorHandler } from './error-handler.js';
import { createRouter } from './router.js';

const contactSchema = z.object({ name: z.string().min(1).max(200), email: z.email() }).strict();

function contactApp() {
  const app = createRouter();
  app.onError(createErrorHandler(createMemoryLogger()));
  const route = createRoute({
    method: 'post',
    path: '/contacts',
    request: { body: { content: { 'application/json': { schema: contactSchema } } } },
    responses: { 201: { description: 'Created' } },
  });
  app.openapi(route, (c) => c.body(null, 201));
  return app;
}

const post = (body: string) =>
  contactApp().request('/contacts', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });

describe('request validation', () => {
  it('names the missing field with a stable code', async () => {
    const response = await post(JSON.stringify({ email: 'ada@example.com' }));
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      code: 'validation_failed',
      field: 'name',
      errors: [{ code: 'required', field: 'name' }],
    });
  });

  it('lists every field at fault', async () => {
    const body: any = await (
      await post(JSON.stringify({ name: 'x'.repeat(10_000), email: 'nope', extra: 1 }))
    ).json();
    expect(body.errors.map((e: { code: string; field?: string }) => [e.code, e.field ?? null])).toEqual(
      expect.arrayContaining([
        ['too_big', 'name'],
        ['invalid_email', 'email'],
        ['unknown_field', 'extra'],
      ]),
    );
  });

  it('refuses a wrong type', async () => {
    const body: any = await (await post(JSON.stringify({ name: 42, email: 'ada@example.com' }))).json();
    expect(body).toMatchObject({ field: 'name', errors: [{ code: 'invalid_type' }] });
  });

  it('answers unparsable JSON with a 400 malformed_json problem', async () => {
    const response = await post('{"name": ');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'malformed_json' });
  });
});
