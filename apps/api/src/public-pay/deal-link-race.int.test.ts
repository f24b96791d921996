import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { payments } from '@paylinks/db';
import { openTestDatabase, type TestDatabase, testDriver } from '@paylinks/db/testing';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertContact,
  insertDeal,
  insertLink,
  type WorkspaceFixture,
  workspaceFixture,
} from '../payments/payments-fixtures.js';
import { type ServerProcess, startServerProcess } from '../testing/server-process.js';
import { chrome, testCard } from './public-pay-fixtures.js';

// Two browsers on two addresses open one deal link and press Pay with a good card at the same
// moment, each on another server process (as behind a load balancer), for 50 rounds. The link must
// be charged once: one payer sees Complete, the other 410 link_paid and reaches no provider; never a
// 500, never a deadlock.

const rounds = 50;
const publicUrl = 'http://localhost:3998';
const secretKey = randomBytes(32).toString('base64');

let database: TestDatabase;
const servers: ServerProcess[] = [];

type Answer = { status: number; body: Record<string, unknown> };

/** One HTTP call from a given loopback source address: each payer is another client to the server. */
function call(
  server: ServerProcess,
  from: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        localAddress: from,
        method,
        path,
        headers: {
          'user-agent': chrome,
          'sec-fetch-dest': 'document',
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function deadlocks(): Promise<number> {
  // postgres.js answers raw queries with an array of rows (this test runs on PostgreSQL only).
  const rows = (await database.db.execute(
    sql`select deadlocks::text from pg_stat_database where datname = current_database()`,
  )) as unknown as { deadlocks: string }[];
  return Number(rows[0]!.deadlocks);
}

describe.runIf(testDriver() === 'postgres')('two payers racing for one deal link', () => {
  let w: WorkspaceFixture;

  beforeAll(async () => {
    database = await openTestDatabase();
    const env = { PUBLIC_URL: publicUrl, DATABASE_URL: database.url, PAYLINKS_SECRET_KEY: secretKey };
    servers.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])));
    const signUp = await fetch(`${servers[0]!.origin}/api/signup`, {
      method: 'POST',
      headers: { origin: publicUrl, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Race',
        email: 'race@example.com',
        password: 'a long password',
        workspaceName: 'Race',
      }),
    });
    expect(signUp.status).toBe(201);
    const { workspace } = (await signUp.json()) as { workspace: { id: string } };
    w = await workspaceFixture(database.db, workspace.id);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await database?.close();
  });

  it('charges the link once in every round, without a 500 or a deadlock', async () => {
    const deadlocksBefore = await deadlocks();
    const outcomes: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const contact = await insertContact(database.db, w, `Payer ${round}`);
      const deal = await insertDeal(database.db, w, contact.id);
      const link = await insertLink(database.db, w, { contactId: contact.id, dealId: deal.id });
      // Fresh addresses every round, so the public rate limits see two new visitors each time.
      const payers = [0, 1].map((i) => ({ server: servers[i]!, from: `127.0.${round + 1}.${i + 10}` }));
      const views = await Promise.all(
        payers.map(({ server, from }) => call(server, from, 'GET', `/api/pay/${link.token}`)),
      );
      expect(views.map((view) => view.status)).toEqual([200, 200]);
      const answers = await Promise.all(
        payers.map(({ server, from }, i) =>
          call(server, from, 'POST', `/api/pay/${link.token}/checkout`, {
            paymentId: views[i]!.body.paymentId,
            email: `payer${i}@example.com`,
            phone: '+31612345678',
            card: testCard,
          }),
        ),
      );
      const summary = answers
        .map((a) => (a.status === 200 ? `200 ${a.body.status}` : `${a.status} ${a.body.code}`))
        .sort();
      outcomes.push(summary.join(' / '));
      expect(summary, `round ${round}`).toEqual(['200 complete', '410 link_paid']);

      const rows = await database.db.select().from(payments).where(eq(payments.linkId, link.id));
      const paid = rows.filter((row) => row.status === 'complete');
      expect(paid).toHaveLength(1);
      // The refused payer never reached the provider: no checkout was started for their payment.
      expect(rows.filter((row) => row.providerReference !== null)).toHaveLength(1);
    }
    expect(new Set(outcomes)).toEqual(new Set(['200 complete / 410 link_paid']));
    expect(await deadlocks()).toBe(deadlocksBefore);
    for (const server of servers) {
      expect(server.output()).not.toMatch(/deadlock/i);
      expect(server.output()).not.toMatch(/unhandled error/);
    }
  }, 240_000);
});
