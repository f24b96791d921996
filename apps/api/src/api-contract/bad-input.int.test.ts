import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { fillPath, listOperations, type Operation } from './openapi-operations.js';

// Walks every operation in /api/openapi.json and sends what a careless or hostile client might:
// wrong types, missing and unknown fields, huge strings, ids of the wrong shape. Whatever it sends,
// the answer is a problem+json refusal or a success, never a 500.

let app: TestApp;
let owner: TestMember;
let operations: Operation[];
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Fuzz');
  operations = listOperations((await (await app.request('/api/openapi.json')).json()) as never);
});
afterAll(() => app.close());

const huge = 'x'.repeat(100_000);
const wrongValues: unknown[] = [
  null,
  0,
  -1,
  1.5,
  1e308,
  '',
  huge,
  '1e3',
  '-0.001',
  true,
  [],
  [huge],
  {},
  { $gt: '' },
];
const badIds = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  '../../etc/passwd',
  huge.slice(0, 5000),
  '%00',
];
const wholeBodies = ['{', '[]', '"text"', '123', 'null', JSON.stringify({ unexpected: huge })];

async function expectNoServerError(response: Response, what: string) {
  const text = await response.text();
  expect(response.status, `${what} → ${response.status} ${text.slice(0, 300)}`).toBeLessThan(500);
  if (response.status >= 400) {
    expect(response.headers.get('content-type'), what).toBe('application/problem+json');
    expect(JSON.parse(text).code, what).toEqual(expect.any(String));
  }
}

const ids = (op: Operation, value: string) => Object.fromEntries(op.pathParams.map((name) => [name, value]));

describe('no input makes the API answer 500', () => {
  it('covers the routes of the API', () => {
    expect(operations.length).toBeGreaterThan(5);
  });

  it('ids of the wrong shape in the path', async () => {
    for (const op of operations.filter((o) => o.pathParams.length > 0)) {
      for (const id of badIds) {
        const response = await app.call(
          owner,
          op.method,
          fillPath(op.path, ids(op, id)),
          op.bodySchema ? {} : undefined,
        );
        await expectNoServerError(response, `${op.method} ${op.path} with id ${id.slice(0, 40)}`);
      }
    }
  });

  it('wrong types, huge strings and unknown values in every body field', async () => {
    for (const op of operations.filter((o) => o.bodySchema?.properties)) {
      const path = fillPath(op.path, ids(op, '00000000-0000-4000-8000-000000000000'));
      for (const body of wholeBodies) {
        await expectNoServerError(
          await app.call(owner, op.method, path, body),
          `${op.method} ${op.path} body ${body.slice(0, 30)}`,
        );
      }
      for (const field of Object.keys(op.bodySchema!.properties!)) {
        for (const value of wrongValues) {
          const response = await app.call(owner, op.method, path, { [field]: value });
          await expectNoServerError(
            response,
            `${op.method} ${op.path} ${field}=${JSON.stringify(value)?.slice(0, 30)}`,
          );
        }
      }
    }
  });

  it('wrong types and huge strings in every query parameter', async () => {
    for (const op of operations.filter((o) => o.queryParams.length > 0 && o.pathParams.length === 0)) {
      for (const name of op.queryParams) {
        for (const value of ['', '-1', '1.5', 'abc', huge.slice(0, 3000), '2026-13-45', '[]', 'null']) {
          const response = await app.call(
            owner,
            op.method,
            `${op.path}?${name}=${encodeURIComponent(value)}`,
          );
          await expectNoServerError(response, `${op.method} ${op.path}?${name}=${value.slice(0, 30)}`);
        }
      }
    }
  });
});
