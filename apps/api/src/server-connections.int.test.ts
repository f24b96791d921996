import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { testDriver } from '@paylinks/db/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_BODY_LIMIT } from './http/body-limit.js';
import { createMemoryLogger } from './logger.js';
import { type RunningServer, startServer } from './server.js';
import { openRawHttpConnection, type RawHttpConnection, requestHead } from './testing/raw-http-connection.js';
import { MAX_DISCARDED_BODY_BYTES } from './unread-request-body.js';

// What a client sees on one connection: refusals that leave it usable, slow clients cut off on time,
// a cap on connections. The database plays no part, so this runs once, on the embedded one.

const headersTimeoutMs = 500;
const requestTimeoutMs = 1_000;
const maxConnections = 6;
// Node checks the timeouts on an interval (a quarter of the headers timeout here); the rest is a
// loaded CI machine's scheduling.
const slackMs = 750;

let server: RunningServer;
let dataDir: string;
const opened: RawHttpConnection[] = [];

async function open() {
  const connection = await openRawHttpConnection(server.port);
  opened.push(connection);
  return connection;
}

async function health(connection: RawHttpConnection) {
  await connection.write(requestHead('GET', '/api/health'));
  return connection.response();
}

const webhookPath = '/api/webhooks/00000000-0000-4000-8000-000000000000';
const json = { 'content-type': 'application/json' };

describe.runIf(testDriver() === 'pglite')('connections to the server', () => {
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'paylinks-connections-'));
    server = await startServer(
      {
        PORT: '0',
        PAYLINKS_DATA_DIR: dataDir,
        PAYLINKS_HEADERS_TIMEOUT_MS: String(headersTimeoutMs),
        PAYLINKS_REQUEST_TIMEOUT_MS: String(requestTimeoutMs),
        PAYLINKS_MAX_CONNECTIONS: String(maxConnections),
      },
      createMemoryLogger(),
    );
  });
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  afterEach(async () => {
    for (const connection of opened.splice(0)) connection.destroy();
    // Until the server has seen them go, they count against the cap.
    await sleep(50);
  });

  describe('after a refusal that did not read the body', () => {
    it('a webhook just over the limit answers 413 and the same connection serves the next request', async () => {
      const connection = await open();
      const body = Buffer.alloc(WEBHOOK_BODY_LIMIT + 1024, 'a');
      await connection.write(requestHead('POST', webhookPath, { ...json, 'content-length': body.length }));
      await connection.write(body);
      const refused = await connection.response();
      expect(refused.status).toBe(413);
      expect(JSON.parse(refused.body)).toMatchObject({ code: 'payload_too_large' });
      expect(refused.headers.connection).toBe('keep-alive');
      expect((await health(connection)).status).toBe(200);
    });

    it('the rest of the body arriving after the 413 is dropped, then the next request is served', async () => {
      const connection = await open();
      const body = Buffer.alloc(WEBHOOK_BODY_LIMIT * 2, 'a');
      await connection.write(requestHead('POST', webhookPath, { ...json, 'content-length': body.length }));
      expect((await connection.response()).status).toBe(413);
      const pieces = 4;
      const size = body.length / pieces;
      for (let i = 0; i < pieces; i++) {
        await connection.write(body.subarray(i * size, (i + 1) * size));
        await sleep(100);
      }
      expect((await health(connection)).status).toBe(200);
    });

    it('a chunked webhook over the limit answers 413 and the connection serves the next request', async () => {
      const connection = await open();
      await connection.write(requestHead('POST', webhookPath, { ...json, 'transfer-encoding': 'chunked' }));
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const framed = Buffer.concat([
        Buffer.from(`${chunk.length.toString(16)}\r\n`),
        chunk,
        Buffer.from('\r\n'),
      ]);
      for (let sent = 0; sent <= WEBHOOK_BODY_LIMIT; sent += chunk.length) await connection.write(framed);
      await connection.write('0\r\n\r\n');
      expect((await connection.response()).status).toBe(413);
      expect((await health(connection)).status).toBe(200);
    });

    it('an unknown webhook answers 404 and the connection serves the next request', async () => {
      const connection = await open();
      const body = Buffer.alloc(WEBHOOK_BODY_LIMIT - 1024, 'a');
      await connection.write(requestHead('POST', webhookPath, { ...json, 'content-length': body.length }));
      await connection.write(body);
      expect((await connection.response()).status).toBe(404);
      expect((await health(connection)).status).toBe(200);
    });

    it('a body declared too large to drop is answered with Connection: close, and the server closes', async () => {
      const connection = await open();
      await connection.write(
        requestHead('POST', webhookPath, { ...json, 'content-length': MAX_DISCARDED_BODY_BYTES * 10 }),
      );
      const refused = await connection.response();
      expect(refused.status).toBe(413);
      expect(refused.headers.connection).toBe('close');
      const asked = performance.now();
      expect((await connection.closed) - asked).toBeLessThan(slackMs);
    });
  });

  describe('slow clients', () => {
    it('a body trickling a byte at a time is cut off at about the request timeout; others are served meanwhile', async () => {
      const slow = await open();
      const started = performance.now();
      await slow.write(
        requestHead('POST', '/api/signup', { ...json, origin: server.url, 'content-length': 1000 }),
      );
      let cut = false;
      void slow.closed.then(() => {
        cut = true;
      });
      const trickle = (async () => {
        while (!cut) {
          await slow.write('{').catch(() => undefined);
          await sleep(50);
        }
      })();
      await sleep(requestTimeoutMs / 2);
      expect((await health(await open())).status).toBe(200);
      const elapsed = (await slow.closed) - started;
      await trickle;
      expect(elapsed).toBeGreaterThanOrEqual(requestTimeoutMs * 0.9);
      expect(elapsed).toBeLessThan(requestTimeoutMs + slackMs);
      expect((await health(await open())).status).toBe(200);
    });

    it('headers trickling a byte at a time are cut off at about the headers timeout', async () => {
      const slow = await open();
      const started = performance.now();
      await slow.write('GET /api/health HTTP/1.1\r\nhost: localhost\r\nx-slow: ');
      let cut = false;
      void slow.closed.then(() => {
        cut = true;
      });
      while (!cut) {
        await slow.write('a').catch(() => undefined);
        await sleep(50);
      }
      const elapsed = (await slow.closed) - started;
      expect(elapsed).toBeGreaterThanOrEqual(headersTimeoutMs * 0.9);
      expect(elapsed).toBeLessThan(headersTimeoutMs + slackMs);
    });
  });

  describe('the connection cap', () => {
    it('closes a connection past the cap at once, and serves new ones again when one goes', async () => {
      const held = [];
      for (let i = 0; i < maxConnections; i++) {
        const connection = await open();
        expect((await health(connection)).status).toBe(200);
        held.push(connection);
      }
      const extra = await open();
      const connected = performance.now();
      expect((await extra.closed) - connected).toBeLessThan(slackMs);

      held[0]!.destroy();
      await sleep(50);
      expect((await health(await open())).status).toBe(200);
    });
  });
});
