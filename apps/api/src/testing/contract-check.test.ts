import { describe, expect, it } from 'vitest';
import { createContractCheck } from './contract-check.js';

const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
const check = createContractCheck({
  paths: {
    '/api/things/{id}': {
      get: {
        responses: {
          200: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['id', 'amount'],
                  properties: {
                    id: { type: 'string', format: 'uuid' },
                    amount: { anyOf: [{ $ref: '#/components/schemas/Money' }, { type: 'null' }] },
                  },
                },
              },
            },
          },
          404: { content: problem },
          429: { $ref: '#/components/responses/TooManyRequests' },
        },
      },
      delete: { responses: { 204: {} } },
      put: { responses: { 200: {} } },
    },
    '/api/things/totals': { get: { responses: { 200: { content: { 'text/csv': {} } } } } },
  },
  components: {
    schemas: {
      Money: {
        type: 'object',
        required: ['amount', 'currency'],
        properties: { amount: { type: 'string' }, currency: { type: 'string', pattern: '^[A-Z]{3}$' } },
      },
      Problem: { type: 'object', required: ['code'], properties: { code: { type: 'string' } } },
    },
    responses: { TooManyRequests: { content: problem } },
  },
});

const id = '0b6f1c2e-3a4d-4e5f-8a9b-0c1d2e3f4a5b';
const json = (body: unknown, status = 200, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
const problemOf = (status: number) =>
  json(
    { type: 'about:blank', title: 'x', status, code: 'x', detail: 'x' },
    status,
    'application/problem+json',
  );

describe('the contract check', () => {
  it('accepts a response the document describes, through $refs and nullable unions', async () => {
    expect(await check.check('GET', `/api/things/${id}`, json({ id, amount: null }))).toBeUndefined();
    const money = { amount: '1.00', currency: 'EUR' };
    expect(await check.check('GET', `/api/things/${id}`, json({ id, amount: money }))).toBeUndefined();
    expect(await check.check('GET', `/api/things/${id}`, problemOf(429))).toBeUndefined();
    expect(
      await check.check('DELETE', `/api/things/${id}`, new Response(null, { status: 204 })),
    ).toBeUndefined();
  });

  it('names a status the operation does not document', async () => {
    expect(await check.check('GET', `/api/things/${id}`, problemOf(422))).toMatch(
      /status 422 is not documented/,
    );
  });

  it('names a content type the status does not document, and a body where none is documented', async () => {
    expect(await check.check('GET', `/api/things/${id}`, json({ code: 'x' }, 404))).toMatch(
      /application\/json is not documented/,
    );
    expect(await check.check('PUT', `/api/things/${id}`, json({ ok: true }))).toMatch(/no body/);
  });

  it('names the field of a body that breaks the schema', async () => {
    const drift = await check.check(
      'GET',
      `/api/things/${id}`,
      json({ id, amount: { amount: '1', currency: 'eur' } }),
    );
    expect(drift).toMatch(/\/amount/);
  });

  it('matches a literal path before a templated one, and lets a path nobody documents answer 404 only', async () => {
    const csv = new Response('a,b\n', { headers: { 'content-type': 'text/csv' } });
    expect(await check.check('GET', '/api/things/totals', csv)).toBeUndefined();
    expect(await check.check('GET', '/api/nothing', problemOf(404))).toBeUndefined();
    expect(await check.check('GET', '/api/nothing', json({}))).toMatch(/no documented operation/);
  });
});
