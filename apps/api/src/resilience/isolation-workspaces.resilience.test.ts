import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callOk, type FuzzServer, signUpOverHttp, startFuzzServer } from './fuzz-server.js';
import { IdLedger, type Traffic, tryForeignIds, type Workspace, workRound } from './isolation-traffic.js';

// Two workspaces hammer one real server at once, each with its own owner and API key: creating
// contacts, deals, links, click-throughs and checkouts, reading every list, filter, search, board and
// CSV, and trying the other's ids (as if read off a shared screen) on every route that takes one.
// No answer to one may carry an id or a name of the other's, and the other's ids answer 404.

const lanesPerWorkspace = 2;
const roundsPerLane = 6;

let server: FuzzServer;
const workspaces: Workspace[] = [];

beforeAll(async () => {
  server = await startFuzzServer({ PAYLINKS_OPEN_SIGNUP: 'true' });
  for (const [name, marker] of [
    ['Alpha', 'Zqalpha'],
    ['Bravo', 'Zqbravo'],
  ] as const) {
    const member = await signUpOverHttp(server.origin(), `${marker} ${name}`);
    const pipelines = await callOk(server.origin(), member.cookieHeaders, 'GET', '/api/pipelines');
    const methods = await callOk(server.origin(), member.cookieHeaders, 'GET', '/api/payment-methods');
    workspaces.push({
      name,
      marker,
      member,
      pipelineId: pipelines.pipelines[0].id,
      methodId: methods.paymentMethods[0].id,
      created: { contacts: [], deals: [], links: [], payments: [] },
    });
  }
}, 180_000);
afterAll(() => server?.close());

describe('two workspaces at once', () => {
  it("never show one the other's rows, and answer 404 to the other's ids", async () => {
    const traffic: Traffic = {
      origin: server.origin(),
      ledger: new IdLedger(),
      foreignMarkers: (w) => workspaces.filter((other) => other !== w).map((other) => other.marker),
      failures: [],
    };
    const lane = async (w: Workspace, victim: Workspace, lane: number) => {
      for (let round = 0; round < roundsPerLane; round++) {
        await workRound(traffic, w, `${w.name.toLowerCase()}-${lane}-${round}`);
        await tryForeignIds(traffic, w, victim);
      }
    };
    const [a, b] = workspaces as [Workspace, Workspace];
    await Promise.all(
      Array.from({ length: lanesPerWorkspace }, (_, i) => [lane(a, b, i), lane(b, a, i)]).flat(),
    );
    expect(traffic.failures).toEqual([]);
    expect(traffic.ledger.leaks).toEqual([]);

    // Everything each made is still its own, whole, and all of it is in its lists and its CSV.
    for (const w of workspaces) {
      const as = w.member.apiKeyHeaders;
      const contacts = await callOk(traffic.origin, as, 'GET', '/api/contacts?limit=100');
      expect(contacts.items.map((c: { id: string }) => c.id).sort()).toEqual([...w.created.contacts].sort());
      for (const id of w.created.deals) {
        const deal = await callOk(traffic.origin, as, 'GET', `/api/deals/${id}`);
        expect(deal.title).toContain(w.marker);
      }
      const csv = await (await fetch(`${traffic.origin}/api/payments/export.csv`, { headers: as })).text();
      for (const id of w.created.payments) expect(csv).toContain(id);
      const others = workspaces.filter((other) => other !== w);
      for (const other of others) for (const id of other.created.payments) expect(csv).not.toContain(id);
    }
  });
});
