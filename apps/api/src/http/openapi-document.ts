import { API_BODY_LIMIT } from './body-limit.js';
import { databaseRetryAfterSeconds } from './database-unavailable.js';

/**
 * The answers every operation shares, added to the document in one place so no route can forget
 * one: the middleware in front of the routes gives them (body limit, JSON parsing, sign-in and
 * Origin, idempotency, rate limits, the database), not the routes themselves.
 */

type Json = Record<string, unknown>;
interface Operation {
  operationId?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: Json[];
  requestBody?: { content?: Record<string, unknown> };
  responses: Record<string, unknown>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: Record<string, Record<string, unknown> | undefined>;
  [key: string]: unknown;
}

/** The areas of the API, in the order the docs page shows them. */
export const apiTags = [
  { name: 'Health', description: 'Whether this instance and its database answer' },
  { name: 'Team', description: 'Sign-up, sign-in, members, invitations and API keys' },
  { name: 'Contacts', description: 'The people a workspace sells to' },
  { name: 'Pipelines', description: 'Pipelines, their stages and stage automation' },
  { name: 'Deals', description: 'Deals on a pipeline, with their value and contact' },
  { name: 'Payment settings', description: 'Connected payment methods and the installed providers' },
  { name: 'Payment links', description: 'Links a payer opens to pay, made from a contact or a deal' },
  { name: 'Payments', description: 'Payment records, totals, export, confirmation and refunds' },
  { name: 'Branding', description: 'How payers see the workspace: name, logo, colour, support contact' },
  {
    name: 'Webhook endpoints',
    description: "Where the workspace's events are POSTed, signed; the delivery log and resend",
  },
  { name: 'Events', description: "What happened in the workspace, kept 30 days: the webhooks' payloads" },
  { name: 'Payment page', description: "The payer's side: public, reached with a link's token" },
  { name: 'Provider webhooks', description: 'Where payment providers report what happened; public, signed' },
  { name: 'EDU', description: 'The EDU payment type: courses and enrollments' },
];

/** Idempotency-Key as http/idempotency.ts checks it: 1–255 printable ASCII characters. */
export const idempotencyKeyParameter = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retried POST safe: the same key and body answer the first 2xx answer again (with `Idempotent-Replayed: true`) for 24 hours; the same key with another body, or while the first request runs, is 409 `idempotency_key_reused` / `idempotency_key_in_progress`. An empty or non-ASCII key is 422 `invalid_idempotency_key`.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7E]{1,255}$' },
};

const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
const retryAfter = (description: string) => ({
  'Retry-After': { description, schema: { type: 'integer', minimum: 0 } },
});

/** Shared response objects, referenced from each operation as #/components/responses/<name>. */
const sharedResponses = {
  MalformedJson: {
    description: 'The body is not JSON (`malformed_json`)',
    content: problemContent,
  },
  PayloadTooLarge: {
    description: `The body is larger than ${API_BODY_LIMIT / 1024} KB (\`payload_too_large\`)`,
    content: problemContent,
  },
  UnsupportedMediaType: {
    description: 'The body is not sent as application/json (`unsupported_media_type`)',
    content: problemContent,
  },
  InvalidInput: {
    description:
      'Invalid input; `field` names it (`validation_failed`). A control character in a query value or a JSON string is refused so too.',
    content: problemContent,
  },
  Unauthenticated: {
    description: 'Not signed in, or the API key is not valid (`unauthenticated`)',
    content: problemContent,
  },
  Forbidden: {
    description:
      'Not allowed: the role is not enough (`forbidden`), an API key is outside its scope (`insufficient_scope`, naming the scope needed), an API key tried what needs a signed-in member (`session_required`), or a cookie-signed mutation came without our Origin (`cross_origin_refused`)',
    content: problemContent,
  },
  TooManyRequests: {
    description:
      "Too many requests from this client or API key (`rate_limited`); retry after Retry-After seconds. An API key's answers also carry its per-minute budget in RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset.",
    headers: {
      ...retryAfter('Seconds until a request is accepted again'),
      'RateLimit-Limit': { description: "An API key's requests per minute", schema: { type: 'integer' } },
      'RateLimit-Remaining': { description: 'Requests left in this minute', schema: { type: 'integer' } },
      'RateLimit-Reset': { description: 'Seconds until the budget refills', schema: { type: 'integer' } },
    },
    content: problemContent,
  },
  ServiceUnavailable: {
    description: `The database cannot be reached (\`database_unavailable\`); retry after Retry-After (${databaseRetryAfterSeconds} s)`,
    headers: retryAfter('Seconds to wait before retrying'),
    content: problemContent,
  },
} as const;

type SharedResponse = keyof typeof sharedResponses;

const httpMethods = new Set(['get', 'put', 'post', 'patch', 'delete']);

/**
 * Completes the generated document: servers from PUBLIC_URL, the tags list, and on each operation
 * the shared refusals and the Idempotency-Key header. Throws when an operation has no operationId
 * or an unknown tag, so a new route cannot ship without them.
 */
export function completeDocument(document: OpenApiDocument, publicUrl: string): OpenApiDocument {
  const knownTags = new Set(apiTags.map((tag) => tag.name));
  // Only the shared answers some operation refers to become components (an unused one is lint).
  const used: Partial<Record<SharedResponse, (typeof sharedResponses)[SharedResponse]>> = {};
  const addIfAbsent = (operation: Operation, status: number, name: SharedResponse) => {
    if (operation.responses[String(status)]) return;
    operation.responses[String(status)] = { $ref: `#/components/responses/${name}` };
    used[name] = sharedResponses[name];
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!httpMethods.has(method)) continue;
      const where = `${method.toUpperCase()} ${path}`;
      if (!operation.operationId) throw new Error(`${where} has no operationId`);
      for (const tag of operation.tags ?? []) {
        if (!knownTags.has(tag))
          throw new Error(`${where} has the tag "${tag}", which apiTags does not list`);
      }
      // No own security: the global one, so the member middleware (and idempotency behind it) ran.
      const memberOperation = operation.security === undefined;
      const content = operation.requestBody?.content ?? {};
      if (Object.keys(content).length > 0) {
        addIfAbsent(operation, 413, 'PayloadTooLarge');
        if ('application/json' in content) {
          addIfAbsent(operation, 400, 'MalformedJson');
          addIfAbsent(operation, 415, 'UnsupportedMediaType');
        }
      }
      if (memberOperation) {
        addIfAbsent(operation, 401, 'Unauthenticated');
        if (method !== 'get') addIfAbsent(operation, 403, 'Forbidden');
        if (method === 'post') addIdempotencyKey(operation);
      }
      // Provider webhooks are the providers' bytes, read by their plugins: no input guard runs there.
      if (!path.startsWith('/api/webhooks/')) addIfAbsent(operation, 422, 'InvalidInput');
      addIfAbsent(operation, 429, 'TooManyRequests');
      addIfAbsent(operation, 503, 'ServiceUnavailable');
      operation.responses = sortedByStatus(operation.responses);
    }
  }
  document.components = {
    ...document.components,
    responses: { ...document.components?.responses, ...used },
  };
  return {
    ...document,
    servers: [{ url: publicUrl, description: 'This instance (PUBLIC_URL)' }],
    tags: apiTags,
  };
}

function addIdempotencyKey(operation: Operation): void {
  const others = (operation.parameters ?? []).filter(
    (p) => !(p.in === 'header' && String(p.name).toLowerCase() === 'idempotency-key'),
  );
  operation.parameters = [...others, idempotencyKeyParameter];
  operation.responses['409'] ??= {
    description: 'The Idempotency-Key was used with another body, or its first request still runs',
    content: problemContent,
  };
  operation.responses['422'] ??= {
    description: 'Invalid input, or an invalid Idempotency-Key; `field` names it',
    content: problemContent,
  };
}

function sortedByStatus(responses: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
}
