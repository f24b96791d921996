import { randomBytes } from 'node:crypto';
import { paymentEvents, payments } from '@paylinks/db';
import { startThrowawayCluster, type ThrowawayCluster, testDriver } from '@paylinks/db/testing';
import { generateWebhookSecret } from '@paylinks/plugin-sandbox';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from '../testing/server-process.js';
import {
  createLinks,
  pause,
  payLink,
  setUpWorkspace,
  unlimitedPublicPay,
  viewLink,
} from './resilience-fixtures.js';
import { type RoundRobinProxy, startRoundRobinProxy } from './round-robin-proxy.js';

// Three API instances on one PostgreSQL behind a round-robin proxy, payers opening links and paying
// all the while. PostgreSQL is stopped (fast shutdown, as an operator or a failover does) and started
// again. While it is down every answer is 503 database_unavailable with Retry-After, never a 500 or a
// hang; every instance recovers without a restart; and every click-through and checkout a payer was
// told about is stored once.

const instances = 3;
const payerLoops = 6;
const links = 40;
const requestTimeoutMs = 15_000;

type Phase = 'before' | 'stopping' | 'down' | 'starting' | 'after';
type Answer = {
  phase: Phase;
  sentIn: Phase;
  sentAt: number;
  status: number;
  code?: string;
  retryAfter: string | null;
};

let cluster: ThrowawayCluster;
let databaseUrl: string;
const servers: ServerProcess[] = [];
let proxy: RoundRobinProxy;

describe.runIf(testDriver() === 'postgres')(
  'PostgreSQL restarted under three instances behind a proxy',
  () => {
    beforeAll(async () => {
      cluster = await startThrowawayCluster();
      const admin = postgres(cluster.adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe('create database paylinks');
      await admin.end();
      databaseUrl = cluster.adminUrl.replace(/\/postgres$/, '/paylinks');
      // The proxy listens first, on a port of its own choosing, so no instance can take it meanwhile.
      proxy = await startRoundRobinProxy(servers);
      const env = {
        ...unlimitedPublicPay,
        DATABASE_URL: databaseUrl,
        PAYLINKS_SECRET_KEY: randomBytes(32).toString('base64'),
        // Customers and the sandbox's webhooks reach the instances through the proxy, as in production.
        PUBLIC_URL: proxy.origin,
      };
      // One at a time: the first migrates the empty database.
      for (let i = 0; i < instances; i++) servers.push(await startServerProcess(env));
    }, 120_000);

    afterAll(async () => {
      await proxy?.close();
      await Promise.all(servers.map((server) => server.kill()));
      await cluster?.stop();
    });

    it('answers 503 with Retry-After while it is down, recovers everywhere, and loses or doubles nothing', async () => {
      const workspace = await setUpWorkspace(proxy.origin, proxy.origin, generateWebhookSecret());
      const tokens = await createLinks(proxy.origin, workspace, links);

      let phase: Phase = 'before';
      let running = true;
      const answers: Answer[] = [];
      const clickThroughs = new Set<string>();
      const checkouts = new Set<string>();
      /** One request as a payer's browser makes it: given up on (a hang) after requestTimeoutMs. */
      const timed = async <T extends { status: number; code?: string; retryAfter: string | null }>(
        request: (signal: AbortSignal) => Promise<T>,
      ): Promise<T> => {
        const sentIn = phase;
        const sentAt = Date.now();
        // A hang or a dropped connection is recorded as an answer of its own, for the assertions below.
        const answer = await request(AbortSignal.timeout(requestTimeoutMs)).catch(
          (error: Error) =>
            ({
              status: 0,
              code: `${error.name}: ${String(error.cause ?? error.message)} after ${Date.now() - sentAt} ms`,
              retryAfter: null,
            }) as T,
        );
        answers.push({
          phase,
          sentIn,
          sentAt,
          status: answer.status,
          code: answer.code,
          retryAfter: answer.retryAfter,
        });
        return answer;
      };

      // A payer opens a link and pays; a 503 is retried a moment later, as a person presses reload.
      const payerLoop = async (loop: number) => {
        for (let n = loop; running; n += payerLoops) {
          const token = tokens[n % tokens.length]!;
          const view = await timed((signal) => viewLink(proxy.origin, token, undefined, signal));
          if (view.status !== 200) {
            await pause(100);
            continue;
          }
          if (view.paymentId) clickThroughs.add(view.paymentId);
          for (let attempt = 0; running || attempt === 0; attempt++) {
            const paid = await timed((signal) =>
              payLink(proxy.origin, token, view.paymentId, view.cookie, signal),
            );
            if (paid.status === 200) {
              if (paid.result === 'complete') checkouts.add(paid.paymentId!);
              break;
            }
            // Stored before the database went, answered after: the payment is no longer open to pay.
            if (paid.code === 'payment_not_processing') break;
            await pause(100);
          }
        }
      };
      const traffic = Promise.all(Array.from({ length: payerLoops }, (_, loop) => payerLoop(loop)));

      await pause(1500);
      phase = 'stopping';
      await cluster.pause();
      phase = 'down';
      await pause(2500);
      phase = 'starting';
      await cluster.resume();
      phase = 'after';

      // Each instance, asked directly, serves again without being restarted.
      const recoveredAfterMs = await Promise.all(
        servers.map(async (server) => {
          const started = Date.now();
          for (;;) {
            const answer = await viewLink(
              server.origin,
              tokens[0]!,
              undefined,
              AbortSignal.timeout(5000),
            ).catch((error: Error) => `${error.message} ${String(error.cause)}`);
            if (typeof answer !== 'string' && answer.status === 200) return Date.now() - started;
            if (Date.now() - started > 30_000) {
              throw new Error(
                `instance on ${server.port} never recovered: ${JSON.stringify(answer)}\n${server.output().slice(-3000)}`,
              );
            }
            await pause(100);
          }
        }),
      );
      const recoveredAt = Date.now();
      // Payers go on until a dozen requests sent after the recovery were answered (bounded in time, as
      // a loaded machine answers slowly).
      const sentAfterRecovery = () => answers.filter((a) => a.sentAt >= recoveredAt).length;
      for (let waited = 0; sentAfterRecovery() < 12 && waited < 30_000; waited += 100) await pause(100);
      running = false;
      await traffic;

      const down = answers.filter((a) => a.sentIn === 'down' && a.phase === 'down');
      expect(down.length, 'payers kept asking while PostgreSQL was down').toBeGreaterThan(5);
      expect(down.filter((a) => !(a.status === 503 && a.code === 'database_unavailable'))).toEqual([]);
      expect(down.filter((a) => !/^\d+$/.test(a.retryAfter ?? ''))).toEqual([]);
      // Around the outage an answer is either served or that same 503: never a 500, a 502 or another code.
      const unexpected = answers.filter(
        (a) =>
          a.status !== 200 &&
          !(a.status === 503 && a.code === 'database_unavailable') &&
          a.code !== 'payment_not_processing',
      );
      expect(unexpected).toEqual([]);
      const afterRecovery = answers.filter((a) => a.sentAt >= recoveredAt);
      expect(afterRecovery.length).toBeGreaterThan(5);
      expect(afterRecovery.filter((a) => a.status !== 200 && a.code !== 'payment_not_processing')).toEqual(
        [],
      );
      expect(proxy.handed.every((n) => n > answers.length / instances - 2)).toBe(true);

      // Nothing a payer was told about is missing, and nothing happened twice.
      const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
      try {
        const db = drizzle({ client });
        const told = [...new Set([...clickThroughs, ...checkouts])];
        const stored = await db.select().from(payments).where(inArray(payments.id, told));
        expect(stored.map((p) => p.id).sort()).toEqual(told.sort());
        const paid = stored.filter((p) => checkouts.has(p.id));
        expect(paid.map((p) => p.status)).toEqual(paid.map(() => 'complete'));
        const completions = await db
          .select({ paymentId: paymentEvents.paymentId })
          .from(paymentEvents)
          .where(and(eq(paymentEvents.toStatus, 'complete'), isNotNull(paymentEvents.fromStatus)));
        const perPayment = new Map<string, number>();
        for (const c of completions) perPayment.set(c.paymentId, (perPayment.get(c.paymentId) ?? 0) + 1);
        expect([...perPayment.entries()].filter(([, n]) => n > 1)).toEqual([]);
        for (const id of checkouts) expect(perPayment.get(id), id).toBe(1);

        console.log(
          `postgres-restart: ${answers.length} answers (${down.length} while down, all 503), ` +
            `${clickThroughs.size} click-throughs and ${checkouts.size} checkouts acknowledged, ` +
            `instances recovered after ${recoveredAfterMs.join('/')} ms, proxy handed ${proxy.handed.join('/')}`,
        );
      } finally {
        await client.end();
      }
    }, 180_000);
  },
);
