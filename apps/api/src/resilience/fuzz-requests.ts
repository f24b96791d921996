import fc from 'fast-check';
import { fillPath, type JsonSchema, type Operation } from '../api-contract/openapi-operations.js';
import { API_BODY_LIMIT } from '../http/body-limit.js';

// fast-check arbitraries for what a careless or hostile client sends to a route of the OpenAPI
// document: bodies shaped by its schema but with wrong, missing, extra, huge or oddly encoded
// values; bodies that are not JSON at all, nested thousands deep or around the 64 KB limit; wrong
// content types; oversized and numerous headers; odd methods; path parameters of the wrong shape.

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
}

export const oddTexts = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202eevil\u202c',
  '\u200f\u200e',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  '\ufeff',
  'e\u0301\u0301\u0301',
  '\u2028\u2029',
  '\u001b[2J',
  '\u0085',
  '𝕳𝖊𝖑𝖑𝖔',
  '',
  ' ',
  '=1+1',
  "'; drop table contacts; --",
  '{{7*7}}',
  '../../etc/passwd',
  '%00',
  'null',
];

const huge = (length: number) => 'x'.repeat(length);
const hugeText = fc.constantFrom(256, 5_000, 40_000, 70_000).map(huge);
const oddText = fc.oneof(fc.constantFrom(...oddTexts), fc.string({ unit: 'binary', maxLength: 30 }));
const wrongValue = fc.oneof(
  fc.constantFrom<unknown>(null, 0, -1, 1.5, 1e308, -0, true, [], {}, { $gt: '' }, '1e3', '-0.001', [null]),
  fc.anything({ maxDepth: 2, maxKeys: 3 }),
);

const typesOf = (schema: JsonSchema): string[] => {
  if (schema.type) return [schema.type].flat();
  return [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].flatMap(typesOf);
};

/** A value the field's schema would take, when the dice are kind: examples, enums, real ids. */
function plausible(schema: JsonSchema & Record<string, unknown>, seeds: FuzzSeeds): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices: fc.Arbitrary<unknown>[] = [];
  if (schema.example !== undefined) choices.push(fc.constant(schema.example));
  for (const type of typesOf(schema)) {
    if (type === 'string') {
      if (schema.format === 'uuid') choices.push(fc.constantFrom(...seeds.ids), fc.uuid());
      else if (schema.format === 'email') choices.push(fc.constant('payer@example.com'), fc.emailAddress());
      else choices.push(fc.string({ minLength: 1, maxLength: 20 }));
    } else if (type === 'number' || type === 'integer') choices.push(fc.integer({ min: -5, max: 5000 }));
    else if (type === 'boolean') choices.push(fc.boolean());
    else if (type === 'null') choices.push(fc.constant(null));
    else if (type === 'array')
      choices.push(
        fc.array(schema.items ? plausible(schema.items as never, seeds) : fc.string(), { maxLength: 3 }),
      );
    else if (type === 'object')
      choices.push(fc.dictionary(fc.string({ maxLength: 10 }), fc.string(), { maxKeys: 3 }));
  }
  return choices.length > 0 ? fc.oneof(...choices) : fc.string();
}

/** An object for the schema: each field present or not, plausible, of a wrong type, odd or huge; maybe extras. */
function schemaShaped(schema: JsonSchema, seeds: FuzzSeeds): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([name, field]) => [
      name,
      fc.option(
        fc.oneof(
          { weight: 4, arbitrary: plausible(field as never, seeds) },
          { weight: 2, arbitrary: wrongValue },
          { weight: 2, arbitrary: oddText },
          { weight: 1, arbitrary: hugeText },
        ),
        { nil: undefined, freq: 4 },
      ),
    ]),
  );
  const extras = fc.dictionary(
    fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'workspaceId', 'id')),
    fc.jsonValue({ maxDepth: 2 }),
    { maxKeys: 2 },
  );
  return fc
    .record({ fields: fc.record(fields), extras: fc.option(extras, { nil: undefined, freq: 3 }) })
    .map(({ fields, extras }) => {
      const body: Record<string, unknown> = { ...(extras ?? {}) };
      for (const [name, value] of Object.entries(fields)) if (value !== undefined) body[name] = value;
      return body;
    });
}

const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** A JSON object of exactly `size` bytes: one field padded with x. */
const bodyOfSize = (field: string, size: number) => {
  const shell = JSON.stringify({ [field]: '' });
  return JSON.stringify({ [field]: huge(Math.max(0, size - shell.length)) });
};

/** The raw body, as bytes or text: JSON of the schema, broken JSON, deep, big or badly encoded. */
function bodyArbitrary(op: Operation, seeds: FuzzSeeds): fc.Arbitrary<string | Uint8Array | undefined> {
  const shaped = schemaShaped(op.bodySchema ?? { type: 'object', properties: {} }, seeds);
  const firstField = Object.keys(op.bodySchema?.properties ?? {})[0] ?? 'name';
  const depth = fc.constantFrom(100, 1_000, 10_000, 100_000);
  return fc.oneof(
    { weight: 8, arbitrary: shaped.map((body) => JSON.stringify(body)) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(shaped, fc.nat())
        .map(([body, cut]) =>
          JSON.stringify(body).slice(0, Math.max(1, cut % (JSON.stringify(body).length || 1))),
        ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        '{',
        '[1,',
        'nul',
        '{"a":1}{"b":2}',
        "{'a':1}",
        '{"a":1,}',
        '\ufeff{}',
        'NaN',
        '[]',
        '"text"',
        '123',
        'null',
        'true',
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
    {
      weight: 2,
      arbitrary: fc.tuple(depth, fc.boolean()).map(([n, arrays]) => {
        const deep = arrays ? nestedArrays(n) : nestedObjects(n);
        return `{${JSON.stringify(firstField)}:${deep}}`;
      }),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(
          API_BODY_LIMIT - 1,
          API_BODY_LIMIT,
          API_BODY_LIMIT + 1,
          API_BODY_LIMIT + 1024,
          300 * 1024,
        )
        .map((size) => bodyOfSize(firstField, size)),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
        new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0x00, 0x22, 0x7d]),
        new Uint8Array([0xc0, 0xaf, 0xed, 0xa0, 0x80]),
      ),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
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
  return fc
    .record({
      params: fc.record(Object.fromEntries(op.pathParams.map((name) => [name, pathValue(name)]))),
      query: fc.array(fc.tuple(fc.constantFrom(...op.queryParams, 'unknown'), queryValue(seeds)), {
        maxLength: 3,
      }),
      auth: fc.constantFrom<Auth>('cookie', 'cookie', 'apiKey', 'none'),
      method: fc.oneof(
        { weight: 9, arbitrary: fc.constant(op.method) },
        { weight: 1, arbitrary: fc.constantFrom(...oddMethods) },
      ),
      body: op.bodySchema || op.method !== 'GET' ? bodyArbitrary(op, seeds) : fc.constant(undefined),
      contentType,
      headers: extraHeaders,
    })
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
