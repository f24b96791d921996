import fc from 'fast-check';
import { fillPath, type Operation } from '../api-contract/openapi-operations.js';
import { bodyArbitrary, huge, nearlyValidBody, oddText } from './fuzz-bodies.js';

// fast-check arbitraries for a whole request a careless or hostile client sends to a route of the
// OpenAPI document: a body from fuzz-bodies.ts, wrong or missing content types, oversized and
// numerous headers, foreign Origins, odd methods, query values and path parameters of the wrong shape.

export type Auth = 'cookie' | 'apiKey' | 'none';

export interface FuzzRequest {
  /** "METHOD /template" of the operation it was made for. */
  operation: string;
  method: string;
  path: string;
  auth: Auth;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** Real ids the seeded workspace owns, so a request that passes validation reaches real rows. */
export interface FuzzSeeds {
  /** Path parameter value by the resource the path names (contacts, deals, …) or by parameter name. */
  pathValue(operation: Operation, parameter: string): string | undefined;
  /** Ids a uuid field may carry. */
  ids: string[];
  /** The seeded id a body field of this name means (contactId: the contact, stageIds: a stage, …). */
  idFor(field: string): string | undefined;
}

const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/json; charset=latin1',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/problem+json',
      'application/xml',
      '*/*',
      ';;;',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/** Extra headers: none mostly; sometimes one huge, very many, or odd values in meaningful ones. */
const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(4_000, 8_000, 15_000, 17_000, 70_000).map((n) => ({ 'x-filler': huge(n) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(50, 500, 2_100)
      .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`x-h${i}`, 'v']))),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        accept: fc.constantFrom('text/html', '*/*', 'application/xml', ''),
        'accept-language': fc.constantFrom('zz', '*;q=abc', huge(3_000)),
        'x-forwarded-for': fc.constantFrom('::1', 'not an address', '1.2.3.4, 5.6.7.8'),
        'user-agent': fc.constantFrom('', 'Slackbot-LinkExpanding 1.0', huge(5_000)),
        'idempotency-key': fc.constantFrom('', huge(300), 'k\u00e9y', 'same-key'),
        'content-encoding': fc.constantFrom('gzip', 'br', 'identity'),
        origin: fc.constantFrom('http://evil.example', 'null', ''),
      },
      { requiredKeys: [] },
    ),
  },
);

const oddMethods = [
  'OPTIONS',
  'HEAD',
  'PROPFIND',
  'FOO',
  'M-SEARCH',
  'PUT',
  'PATCH',
  'DELETE',
  'POST',
  'GET',
];
const badPathValues = fc.oneof(
  fc.constantFrom(
    'not-a-uuid',
    '00000000-0000-0000-0000-000000000000',
    '..',
    '%2e%2e%2f',
    huge(5_000),
    '%00',
    ' ',
  ),
  fc.uuid(),
  oddText.filter((text) => text.length > 0),
);

const queryValue = (seeds: FuzzSeeds) =>
  fc.oneof(
    fc.constantFrom('', '-1', '0', '1.5', '1e400', 'abc', '2026-13-45', '[]', 'null', 'true', huge(3_000)),
    oddText,
    fc.uuid(),
    fc.constantFrom(...seeds.ids),
  );

const wellFormed = (text: string) =>
  text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

/** A whole request for one operation. Bodyless mutations never get real ids: a valid one would delete seeds. */
export function requestFor(op: Operation, seeds: FuzzSeeds): fc.Arbitrary<FuzzRequest> {
  const destructive = op.method !== 'GET' && !op.bodySchema;
  const pathValue = (name: string) => {
    const real = destructive ? undefined : seeds.pathValue(op, name);
    return real
      ? fc.oneof({ weight: 3, arbitrary: fc.constant(real) }, { weight: 1, arbitrary: badPathValues })
      : badPathValues;
  };
  const params = fc.record(Object.fromEntries(op.pathParams.map((name) => [name, pathValue(name)])));
  const query = fc.array(fc.tuple(fc.constantFrom(...op.queryParams, 'unknown'), queryValue(seeds)), {
    maxLength: 3,
  });
  const hostile = fc.record({
    params,
    query,
    auth: fc.constantFrom<Auth>('cookie', 'cookie', 'apiKey', 'none'),
    method: fc.oneof(
      { weight: 9, arbitrary: fc.constant(op.method) },
      { weight: 1, arbitrary: fc.constantFrom(...oddMethods) },
    ),
    body: op.bodySchema || op.method !== 'GET' ? bodyArbitrary(op, seeds) : fc.constant(undefined),
    contentType,
    headers: extraHeaders,
  });
  // Signed in, the right method and content type, a nearly valid body: past the gates, into the use case.
  const wellFormedRequest = fc.record({
    params,
    query,
    auth: fc.constantFrom<Auth>('cookie', 'apiKey'),
    method: fc.constant(op.method),
    body: op.bodySchema ? nearlyValidBody(op, seeds) : fc.constant(undefined),
    contentType: fc.constant<string | undefined>('application/json'),
    headers: fc.constant<Record<string, string>>({}),
  });
  return fc
    .oneof({ weight: 2, arbitrary: hostile }, { weight: 1, arbitrary: wellFormedRequest })
    .map(({ params, query, auth, method, body, contentType, headers }) => {
      const search = new URLSearchParams(
        query.map(([name, value]): [string, string] => [name, wellFormed(value)]),
      ).toString();
      // A URL carries UTF-8: a lone surrogate cannot be put in one, so it arrives as U+FFFD.
      const filled = Object.fromEntries(
        Object.entries(params as Record<string, string>).map(([name, value]) => [name, wellFormed(value)]),
      );
      const path = fillPath(op.path, filled) + (search ? `?${search}` : '');
      const sendsBody = body !== undefined && method !== 'GET' && method !== 'HEAD';
      return {
        operation: `${op.method} ${op.path}`,
        method,
        path,
        auth,
        headers: {
          ...(contentType === undefined || !sendsBody ? {} : { 'content-type': contentType }),
          ...headers,
        },
        ...(sendsBody ? { body } : {}),
      };
    });
}

/** Short, printable, for failure lists. */
export function describeRequest(request: FuzzRequest): string {
  const body =
    request.body === undefined
      ? ''
      : typeof request.body === 'string'
        ? request.body
        : `<${request.body.length} bytes>`;
  const headers = Object.entries(request.headers).map(
    ([name, value]) => `${name}:${value.slice(0, 30)}${value.length > 30 ? `…(${value.length})` : ''}`,
  );
  const headerText =
    headers.length > 6
      ? `${headers.slice(0, 4).join(' ')} …+${headers.length - 4} headers`
      : headers.join(' ');
  return `${request.method} ${request.path.slice(0, 120)} [${request.auth}] ${headerText} ${JSON.stringify(body.slice(0, 160))}${body.length > 160 ? `…(${body.length})` : ''}`;
}
