import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logger.js';
import { MAX_JSON_DEPTH, refuseControlCharacters } from './control-character-guard.js';
import { createErrorHandler } from './error-handler.js';

function guarded() {
  const app = new Hono();
  app.onError(createErrorHandler(createMemoryLogger()));
  app.use('/api/*', refuseControlCharacters());
  app.post('/api/contacts', (c) => c.json({ ok: true }));
  return app;
}

const post = (body: string) =>
  guarded().request('/api/contacts', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });

describe('the control-character guard on deeply nested JSON', () => {
  // Ten thousand levels overflowed the guard's recursive walk: a 500 for a 20 KB body.
  it('refuses ten thousand levels with a 422 naming the field, not a 500', async () => {
    const response = await post(`{"name":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await response.json()) as { errors: { code: string; field: string }[] };
    expect(problem.errors[0]).toMatchObject({ code: 'too_deeply_nested', field: 'name.0.0' });
  });

  it(`lets ${MAX_JSON_DEPTH - 1} levels through, and still finds a NUL at the bottom of them`, async () => {
    const nested = (inner: string) =>
      `{"name":${'['.repeat(MAX_JSON_DEPTH - 2)}${inner}${']'.repeat(MAX_JSON_DEPTH - 2)}}`;
    expect((await post(nested('"fine"'))).status).toBe(200);
    const refused = await post(nested('"a\\u0000b"'));
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { errors: { code: string }[] }).errors[0]!.code).toBe(
      'control_character',
    );
  });

  // JSON's \ud800 is half a character: PostgreSQL refused it in a payment's note (a 500, found by the fuzzer).
  it('refuses half of a surrogate pair with a 422 naming the field, and keeps a whole pair', async () => {
    const refused = await post('{"note":"a\\ud800b"}');
    expect(refused.status).toBe(422);
    const problem = (await refused.json()) as { errors: { code: string; field: string }[] };
    expect(problem.errors[0]).toMatchObject({ code: 'invalid_unicode', field: 'note' });
    expect((await post('{"note":"a\\ud83d\\ude00b"}')).status).toBe(200);
  });
});
