import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestDatabase, type TestDatabase, testDriver } from '@paylinks/db/testing';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from '../testing/server-process.js';

// A real server process is SIGKILLed while POSTs with Idempotency-Key are in flight; a new process
// on the same database must let those keys work again once their (short, for the test) lease ends.

const publicUrl = 'http://localhost:3999';
// Long enough that a restarted server (PGlite starting its worker thread on a loaded machine takes
// seconds) still finds the dead process's claims inside their lease.
const leaseMs = 15_000;
const requests = 8;

let database: TestDatabase | undefined;
let dataDir: string | undefined;
const servers: ServerProcess[] = [];

function startServer(): Promise<ServerProcess> {
  const env: Record<string, string | undefined> = {
    PUBLIC_URL: publicUrl,
    PAYLINKS_IDEMPOTENCY_LEASE_MS: String(leaseMs),
    SMTP_URL: `smtp://127.0.0.1:${(slowMail.server.address() as AddressInfo).port}`,
  };
  const started =
    testDriver() === 'postgres'
      ? startServerProcess({
          ...env,
          DATABASE_URL: database!.url,
          PAYLINKS_SECRET_KEY: secretKey,
        })
      : startServerProcess({ ...env, DATABASE_URL: undefined, PAYLINKS_DATA_DIR: dataDir });
  return started.then((server) => {
    servers.push(server);
    return server;
  });
}
const secretKey = randomBytes(32).toString('base64');

// A mail server that accepts one message at a time, 300 ms each: an invitation is mailed between the
// key's claim and its answer, and the answers come one by one, so a kill lands inside a request.
let mailQueue: Promise<void> = Promise.resolve();
const slowMail = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, callback) {
    stream.resume();
    stream.on('end', () => {
      mailQueue = mailQueue
        .then(() => new Promise((resolve) => setTimeout(resolve, 300)))
        .then(() => callback());
    });
  },
});

beforeAll(async () => {
  await new Promise<void>((resolve) => slowMail.listen(0, '127.0.0.1', resolve));
  if (testDriver() === 'postgres') database = await openTestDatabase();
  else dataDir = mkdtempSync(join(tmpdir(), 'paylinks-idem-crash-'));
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.kill()));
  await database?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  await new Promise<void>((resolve) => slowMail.close(() => resolve()));
});

async function signUp(server: ServerProcess): Promise<Record<string, string>> {
  const response = await fetch(`${server.origin}/api/signup`, {
    method: 'POST',
    headers: { origin: publicUrl, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Crash',
      email: 'crash@example.com',
      password: 'a long password',
      workspaceName: 'Crash',
    }),
  });
  expect(response.status).toBe(201);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';', 1)[0])
    .join('; ');
  return { cookie, origin: publicUrl, 'content-type': 'application/json' };
}

// Inviting mails the link (through the slow mail server above) between the key's claim and its answer.
const addMember = (server: ServerProcess, headers: Record<string, string>, key: string) =>
  fetch(`${server.origin}/api/invitations`, {
    method: 'POST',
    headers: { ...headers, 'idempotency-key': key },
    body: JSON.stringify({ email: `${key}@example.com`, role: 'member' }),
  });

/**
 * Fires `requests` POSTs at once and SIGKILLs the server a moment after the first answers, halfway
 * through another: PostgreSQL runs them side by side, PGlite one after another, so the kill lands
 * inside one request, not after the last one.
 */
async function killMidRequests(server: ServerProcess, headers: Record<string, string>, keys: string[]) {
  const sentAt = Date.now();
  let answered = 0;
  await new Promise<void>((resolve) => {
    const inFlight = keys.map((key) =>
      addMember(server, headers, key).then(
        async (response) => {
          await response.arrayBuffer();
          answered += 1;
          if (answered !== 1) return;
          const perRequest = (Date.now() - sentAt) / answered;
          setTimeout(() => resolve(server.kill()), perRequest / 2);
        },
        () => {},
      ),
    );
    void Promise.all(inFlight).then(() => resolve());
  });
  expect(answered).toBeLessThan(keys.length);
}

describe('Idempotency-Key after a server process is killed mid-request', () => {
  it('answers "in progress" only until the lease ends, then the same keys work again', async () => {
    let server = await startServer();
    const headers = await signUp(server);

    // Where the kill lands is up to the scheduler: a round whose kill fell between two requests
    // leaves no claim behind, and another round is fired at the restarted server.
    let keys: string[] = [];
    const stuck: string[] = [];
    for (let round = 0; round < 5 && stuck.length === 0; round++) {
      keys = Array.from({ length: requests }, (_, i) => `crash-${round}-${i}`);
      await killMidRequests(server, headers, keys);
      server = await startServer();
      const firstTry = await Promise.all(keys.map((key) => addMember(server, headers, key)));
      for (const [i, response] of firstTry.entries()) {
        if (response.status === 409) {
          expect(await response.json()).toMatchObject({ code: 'idempotency_key_in_progress' });
          expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
          stuck.push(keys[i]!);
        } else {
          expect(response.status, keys[i]).toBe(201);
          await response.arrayBuffer();
        }
      }
    }
    // The kill did land mid-request: the dead process left claims behind.
    expect(stuck.length).toBeGreaterThan(0);

    // Each of them runs once its lease has passed, and is then replayed like any other key.
    const deadline = Date.now() + leaseMs + 5000;
    for (const key of stuck) {
      let response = await addMember(server, headers, key);
      while (response.status === 409 && Date.now() < deadline) {
        await response.arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, 200));
        response = await addMember(server, headers, key);
      }
      expect(response.status, key).toBe(201);
      expect(response.headers.get('idempotent-replayed'), key).toBeNull();
      await response.arrayBuffer();
      const replay = await addMember(server, headers, key);
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      await replay.arrayBuffer();
    }
    await server.stop();
  }, 150_000);
});
