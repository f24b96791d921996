import fc from 'fast-check';
import type { JsonSchema, Operation } from '../api-contract/openapi-operations.js';
import { API_BODY_LIMIT } from '../http/body-limit.js';
import type { FuzzSeeds } from './fuzz-requests.js';

// Request bodies a careless or hostile client sends: shaped by the route's schema but with wrong,
// missing, extra, huge or oddly encoded values; not JSON at all; nested thousands deep; around the
// 64 KB limit; or bytes that are not UTF-8.

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

export const huge = (length: number) => 'x'.repeat(length);
const hugeText = fc.constantFrom(256, 5_000, 40_000, 70_000).map(huge);
export const oddText = fc.oneof(fc.constantFrom(...oddTexts), fc.string({ unit: 'binary', maxLength: 30 }));
const wrongValue = fc.oneof(
  fc.constantFrom<unknown>(null, 0, -1, 1.5, 1e308, -0, true, [], {}, { $gt: '' }, '1e3', '-0.001', [null]),
  fc.anything({ maxDepth: 2, maxKeys: 3 }),
);

const hostileValue = fc.oneof(
  { weight: 2, arbitrary: wrongValue },
  { weight: 2, arbitrary: oddText },
  { weight: 1, arbitrary: hugeText },
);

const typesOf = (schema: JsonSchema): string[] => {
  if (schema.type) return [schema.type].flat();
  return [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].flatMap(typesOf);
};

/** A value the field's schema would take, when the dice are kind: examples, enums, real ids. */
function plausible(
  schema: JsonSchema & Record<string, unknown>,
  seeds: FuzzSeeds,
  field = '',
): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices: fc.Arbitrary<unknown>[] = [];
  if (schema.example !== undefined) choices.push(fc.constant(schema.example));
  for (const type of typesOf(schema)) {
    if (type === 'string') {
      if (schema.format === 'uuid') {
        const own = seeds.idFor(field);
        choices.push(
          ...(own ? [fc.constant(own), fc.constant(own)] : []),
          fc.constantFrom(...seeds.ids),
          fc.uuid(),
        );
      } else if (schema.format === 'email') choices.push(fc.constant('payer@example.com'), fc.emailAddress());
      else choices.push(fc.string({ minLength: 1, maxLength: 20 }));
    } else if (type === 'number' || type === 'integer') choices.push(fc.integer({ min: -5, max: 5000 }));
    else if (type === 'boolean') choices.push(fc.boolean());
    else if (type === 'null') choices.push(fc.constant(null));
    else if (type === 'array')
      choices.push(
        fc.array(schema.items ? plausible(schema.items as never, seeds, field) : fc.string(), {
          maxLength: 3,
        }),
      );
    else if (type === 'object')
      choices.push(fc.dictionary(fc.string({ maxLength: 10 }), fc.string(), { maxKeys: 3 }));
  }
  return choices.length > 0 ? fc.oneof(...choices) : fc.string();
}

/** The required fields and most others plausible; in two of three, one of them hostile. */
function nearlyValidObject(
  schema: JsonSchema,
  seeds: FuzzSeeds,
  hostile: fc.Arbitrary<unknown>,
): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  return fc
    .tuple(
      fc.record(
        Object.fromEntries(
          properties.map(([name, field]) => {
            const value = plausible(field as never, seeds, name);
            return [name, required.has(name) ? value : fc.option(value, { nil: undefined, freq: 2 })];
          }),
        ),
      ),
      fc.nat(),
      hostile,
    )
    .map(([fields, which, value]) => {
      const names = Object.keys(fields);
      if (names.length === 0 || which % 3 === 0) return fields;
      return { ...fields, [names[which % names.length]!]: value };
    });
}

/** A nearly valid JSON body for the operation, for requests that are otherwise well formed. */
export function nearlyValidBody(op: Operation, seeds: FuzzSeeds): fc.Arbitrary<string> {
  return nearlyValidObject(op.bodySchema ?? { type: 'object', properties: {} }, seeds, hostileValue).map(
    (body) => JSON.stringify(body),
  );
}

/**
 * An object for the schema. Wild: each field present or not, plausible, of a wrong type, odd or huge,
 * maybe extras. Nearly valid: the required fields and most others plausible, one of them hostile, so
 * the request gets past validation often enough to reach the use case and the database.
 */
function schemaShaped(schema: JsonSchema, seeds: FuzzSeeds): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(schema.properties ?? {});
  const hostile = hostileValue;
  const wild = fc.record(
    Object.fromEntries(
      properties.map(([name, field]) => [
        name,
        fc.option(
          fc.oneof(
            { weight: 4, arbitrary: plausible(field as never, seeds, name) },
            { weight: 5, arbitrary: hostile },
          ),
          {
            nil: undefined,
            freq: 4,
          },
        ),
      ]),
    ),
  );
  const nearlyValid = nearlyValidObject(schema, seeds, hostile);
  const extras = fc.dictionary(
    fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'workspaceId', 'id')),
    fc.jsonValue({ maxDepth: 2 }),
    { maxKeys: 2 },
  );
  return fc
    .record({ fields: fc.oneof(wild, nearlyValid), extras: fc.option(extras, { nil: undefined, freq: 3 }) })
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
export function bodyArbitrary(
  op: Operation,
  seeds: FuzzSeeds,
): fc.Arbitrary<string | Uint8Array | undefined> {
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
