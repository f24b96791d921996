import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOperations, type Operation } from '../api-contract/openapi-operations.js';
import { describeRequest, type FuzzRequest, requestFor } from './fuzz-requests.js';
import { isAuditOfRefusal, rowChanges, type StoredRows, storedRows } from './fuzz-rows.js';
import { type SeededWorkspace, seedWorkspace } from './fuzz-seeds.js';
import {
  type FuzzServer,
  type HttpAnswer,
  type HttpMember,
  signUpOverHttp,
  startFuzzServer,
} from './fuzz-server.js';

// Property: whatever a client sends to any route of /api/openapi.json (and the providers' webhook
// route, which the document leaves out), the answer comes within the deadline; it is a documented
// 2xx/3xx, or a 4xx problem+json with a code (a 503 only where the route documents one), never
// another 5xx; and a refused request changes no stored row.
// On PostgreSQL the rows are compared around every request. PGlite's directory can only be read with
// the server stopped, so there the rows are compared once around the whole run, and every change must
// belong to a request that was answered 2xx/3xx (it names the row's id or token).
//
// A fixed seed keeps runs comparable; FUZZ_SEED=<n> replays another one, FUZZ_RUNS=<n> runs longer.

const seed = Number(process.env.FUZZ_SEED ?? 20261201);
const numRuns = Number(process.env.FUZZ_RUNS ?? 800);
/** FUZZ_ALL=true lists every fault of the run instead of stopping at the first. */
const collectAll = process.env.FUZZ_ALL === 'true';

const webhookOperation: Operation = {
  method: 'POST',
  path: '/api/webhooks/{methodId}',
  pathParams: ['methodId'],
  queryParams: [],
  bodySchema: {
    type: 'object',
    properties: { id: { type: 'string' }, type: { type: 'string' }, data: { type: 'object' } },
  },
};

let server: FuzzServer;
let owner: HttpMember;
let seeds: SeededWorkspace;
let operations: Operation[];
let documented: Record<string, string[]>;

beforeAll(async () => {
  // The loops' own writes (an event marked fanned out, a delivery attempt) would look like a refused
  // request's doing: this property is about requests, and the loops have tests of their own.
  server = await startFuzzServer({ PAYLINKS_BACKGROUND_JOBS: 'false' });
  owner = await signUpOverHttp(server.origin(), 'Fuzz');
  seeds = await seedWorkspace(server.origin(), owner);
  const document: any = await (await fetch(`${server.origin()}/api/openapi.json`)).json();
  operations = [...listOperations(document), webhookOperation];
  documented = {};
  for (const [path, item] of Object.entries(
    document.paths as Record<string, Record<string, { responses?: object }>>,
  ))
    for (const [method, op] of Object.entries(item))
      documented[`${method.toUpperCase()} ${path}`] = Object.keys(op.responses ?? {});
}, 180_000);
afterAll(() => server?.close());

function headersFor(request: FuzzRequest): Record<string, string> {
  // Signing out with the fuzzer's own cookie would end the session every later request relies on.
  const auth =
    request.operation === 'POST /api/auth/sign-out' && request.auth === 'cookie' ? 'apiKey' : request.auth;
  const credentials = auth === 'cookie' ? owner.cookieHeaders : auth === 'apiKey' ? owner.apiKeyHeaders : {};
  return { ...credentials, ...request.headers };
}

async function answer(request: FuzzRequest): Promise<HttpAnswer | string> {
  const started = performance.now();
  try {
    const response = await fetch(`${server.origin()}${request.path}`, {
      method: request.method,
      headers: headersFor(request),
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: AbortSignal.timeout(20_000),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  } catch (error) {
    return `no answer after ${Math.round(performance.now() - started)} ms: ${(error as Error).message} ${String((error as { cause?: unknown }).cause ?? '')}`;
  }
}

/** What is wrong with the answer, or undefined. */
function faultOf(request: FuzzRequest, got: HttpAnswer): string | undefined {
  const statuses = documented[request.operation] ?? [];
  // A 503 the route documents (its payment method switched off, by an earlier fuzzed PATCH) is an
  // answer, checked like a refusal; any other 5xx is a bug.
  const documentedOutage = got.status === 503 && statuses.includes('503');
  if (got.status >= 500 && !documentedOutage) return `${got.status} ${got.text.slice(0, 300)}`;
  if (got.status >= 400) {
    const type = got.headers.get('content-type') ?? '';
    if (!type.startsWith('application/problem+json'))
      return `${got.status} with content-type "${type}" ${got.text.slice(0, 100)}`;
    if (request.method === 'HEAD') return undefined;
    try {
      if (typeof JSON.parse(got.text).code !== 'string')
        return `${got.status} problem without a code: ${got.text.slice(0, 200)}`;
    } catch {
      return `${got.status} problem+json that is not JSON: ${got.text.slice(0, 200)}`;
    }
    return undefined;
  }
  const [method] = request.operation.split(' ');
  if (request.method === method && statuses.length > 0 && !statuses.includes(String(got.status)))
    return `${got.status} is not among the documented answers ${statuses.join(', ')}`;
  return undefined;
}

/** Accepted requests on PGlite: the ids and tokens each named, for explaining the run's row changes. */
const acceptedEvidence: string[] = [];
const idsIn = (text: string) =>
  text.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Za-z0-9_-]{22,}/g) ?? [];

describe(`every route under hostile input (seed ${seed}, ${numRuns} runs)`, () => {
  it('answers a documented 2xx/3xx or a 4xx problem with a code, in time, and a refusal changes no row', async () => {
    const perRequestRows = server.driver === 'postgres';
    const runStart = await server.withDatabase(storedRows);
    let last: StoredRows = runStart;
    const counts = { refused: 0, accepted: 0, acceptedWrites: 0 };
    const anyRequest = fc.constantFrom(...operations).chain((op) => requestFor(op, seeds));
    const faults: string[] = [];
    const fail = (message: string) => {
      if (!collectAll) throw new Error(message);
      faults.push(message);
    };
    const outcome = await fc.check(
      fc.asyncProperty(anyRequest, async (request) => {
        const got = await answer(request);
        const what = describeRequest(request);
        if (typeof got === 'string') return fail(`${what}\n→ ${got}`);
        const fault = faultOf(request, got);
        if (fault) return fail(`${what}\n→ ${fault}`);
        const accepted = got.status < 400;
        counts[accepted ? 'accepted' : 'refused'] += 1;
        // Only what may write: a mutation, or the payment page (a click-through). A list answered 200 names
        // every id and would explain anything.
        const mayWrite =
          !['GET', 'HEAD', 'OPTIONS'].includes(request.method) || request.path.startsWith('/api/pay/');
        if (accepted && mayWrite) counts.acceptedWrites += 1;
        if (accepted && mayWrite && !perRequestRows) {
          for (const text of [request.path, typeof request.body === 'string' ? request.body : '', got.text])
            for (const id of idsIn(text)) acceptedEvidence.push(seeds.tokenRows[id] ?? id, id);
          // A workspace's own settings (branding, mail defaults) are addressed by no id: their row is the workspace's.
          if (!request.operation.includes('{') && ['PUT', 'PATCH', 'DELETE'].includes(request.method))
            acceptedEvidence.push(owner.workspaceId);
        }
        if (!perRequestRows) return;
        const now = await server.withDatabase(storedRows);
        const changes = accepted ? [] : rowChanges(last, now).filter((change) => !isAuditOfRefusal(change));
        last = now;
        if (changes.length > 0)
          fail(
            `${what}\n→ refused ${got.status} ${got.text.slice(0, 200)} but changed rows:\n${JSON.stringify(changes, null, 1).slice(0, 2000)}`,
          );
      }),
      { seed, numRuns, endOnFailure: process.env.FUZZ_SHRINK !== 'true' },
    );
    // fast-check's own report prints the whole counterexample, megabytes for a huge body.
    if (outcome.failed)
      throw new Error(
        `seed ${outcome.seed}, path ${outcome.counterexamplePath} (replay: FUZZ_SEED=${outcome.seed}): ${(outcome.errorInstance as Error).message}`,
      );
    expect(faults).toEqual([]);
    console.info(
      `fuzz ${server.driver}: ${counts.refused} refused, ${counts.accepted} accepted (${counts.acceptedWrites} of them writes)`,
    );
    expect(counts.refused).toBeGreaterThan(numRuns / 2);

    if (!perRequestRows) {
      const unexplained = rowChanges(runStart, await server.withDatabase(storedRows)).filter(
        (change) => !isAuditOfRefusal(change) && !acceptedEvidence.some((id) => change.row.includes(id)),
      );
      expect(unexplained, 'rows changed that no accepted request named').toEqual([]);
    }
  });
});
