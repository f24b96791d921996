import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logger.js';
import { createErrorHandler, notFoundHandler } from './error-handler.js';
import { ProblemError } from './problem.js';

function appWith(route: (app: Hono) => void) {
  const logger = createMemoryLogger();
  const app = new Hono();
  app.onError(createErrorHandler(logger));
  app.notFound(notFoundHandler);
  route(app);
  return { app, logger };
}

describe('error handler', () => {
  it('answers a ProblemError as problem+json with its code, field and message', async () => {
    const { app } = appWith((a) =>
      a.post('/links', () => {
        throw new ProblemError(422, {
          code: 'amount_too_precise',
          field: 'amount',
          message: 'EUR has 2 decimals',
        });
      }),
    );
    const response = await app.request('/links', { method: 'POST' });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toEqual({
      type: 'about:blank',
      title: 'Unprocessable content',
      status: 422,
      code: 'amount_too_precise',
      field: 'amount',
      detail: 'EUR has 2 decimals',
    });
  });

  it('answers an unexpected error with a 500 problem that carries no stack or internal message', async () => {
    const { app, logger } = appWith((a) =>
      a.get('/boom', () => {
        throw new Error('connection string postgres://user:pw@db/secret failed');
      }),
    );
    const response = await app.request('/boom');
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ status: 500, code: 'internal_error' });
    expect(text).not.toContain('postgres://');
    expect(text).not.toMatch(/at .*\.ts:\d+/);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]?.level).toBe('error');
  });

  it('answers a Hono HTTPException (for example a body limit) as a problem with its status', async () => {
    const { app } = appWith((a) =>
      a.post('/upload', () => {
        throw new HTTPException(413, { message: 'Body too large' });
      }),
    );
    const response = await app.request('/upload', { method: 'POST' });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'payload_too_large', detail: 'Body too large' });
  });

  it('answers an unknown route with a 404 problem', async () => {
    const { app } = appWith(() => {});
    const response = await app.request('/api/nope');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'not_found', status: 404 });
  });
});
