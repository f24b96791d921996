import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestDatabase, testDriver } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logger.js';
import { type RunningServer, startServer } from '../server.js';
import { openRawHttpConnection, requestHead } from '../testing/raw-http-connection.js';
import { type TestApp, testApp, testOrigin } from '../testing/test-app.js';
import { API_BODY_LIMIT, WEBHOOK_BODY_LIMIT } from './body-limit.js';

const chunk = new Uint8Array(64 * 1024).fill(0x61);
const tenMegabytes = 10 * 1024 * 1024;

/** A body produced on demand, so the test itself never holds it; `pulled` says how much the server asked for. */
function streamedBody(size: number) {
  const counter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (counter.pulled >= size) return controller.close();
      counter.pulled += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, counter };
}

function postInit(body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  return {
    method: 'POST',
    headers: { origin: testOrigin, 'content-type': 'application/json', ...headers },
    body,
    duplex: 'half',
  } as RequestInit;
}

async function expectTooLarge(response: Response) {
  expect(response.status).toBe(413);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(await response.json()).toMatchObject({ status: 413, code: 'payload_too_large' });
}

describe('request body limit', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = testApp(await openTestDatabase());
  });
  afterAll(() => app.close());

  it('a 10 MB sign-up that declares its length is refused 413 without reading any of it', async () => {
    const { stream, counter } = streamedBody(tenMegabytes);
    await expectTooLarge(
      await app.request('/api/signup', postInit(stream, { 'content-length': String(tenMegabytes) })),
    );
    // The stream's first pull happens when it is created; nothing past it.
    expect(counter.pulled).toBeLessThanOrEqual(chunk.length);
  });

  it('a 10 MB chunked sign-up is refused 413 once it passes 64 KB', async () => {
    const { stream, counter } = streamedBody(tenMegabytes);
    await expectTooLarge(await app.request('/api/signup', postInit(stream)));
    expect(counter.pulled).toBeLessThanOrEqual(API_BODY_LIMIT + 2 * chunk.length);
  });

  it('a body over 64 KB is refused before authentication, on routes that need a team member', async () => {
    const { stream } = streamedBody(API_BODY_LIMIT + 1);
    await expectTooLarge(await app.request('/api/contacts', postInit(stream)));
  });

  it('a body within the limit reaches validation', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(API_BODY_LIMIT - 100) });
    const response = await app.call(null, 'POST', '/api/signup', body);
    expect(response.status).toBe(422);
  });

  it('webhooks keep their 256 KB', async () => {
    const url = '/api/webhooks/00000000-0000-4000-8000-000000000000';
    const within = await app.request(url, { method: 'POST', body: 'a'.repeat(WEBHOOK_BODY_LIMIT - 1024) });
    expect(within.status).toBe(404);
    const { stream } = streamedBody(WEBHOOK_BODY_LIMIT + chunk.length);
    await expectTooLarge(await app.request(url, postInit(stream)));
  });
});

describe.runIf(testDriver() === 'pglite')('request body limit on the running server', () => {
  let server: RunningServer;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'paylinks-body-limit-'));
    server = await startServer({ PORT: '0', PAYLINKS_DATA_DIR: dataDir }, createMemoryLogger());
  });
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a 10 MB sign-up is answered 413 and the server does not grow by its size', async () => {
    const connection = await openRawHttpConnection(server.port);
    try {
      const before = process.memoryUsage();
      await connection.write(
        requestHead('POST', '/api/signup', {
          origin: server.url,
          'content-type': 'application/json',
          'content-length': tenMegabytes,
        }),
      );
      const answered = connection.response();
      // Written as fast as the server takes it; it stops taking it once it has answered.
      for (let sent = 0; sent < tenMegabytes && !connection.socket.destroyed; sent += chunk.length) {
        const more = connection.socket.write(chunk);
        if (!more) await Promise.race([new Promise((r) => connection.socket.once('drain', r)), answered]);
      }
      const refused = await answered;
      const after = process.memoryUsage();
      expect(refused.status).toBe(413);
      expect(JSON.parse(refused.body)).toMatchObject({ code: 'payload_too_large' });
      const grown = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
      expect(grown).toBeLessThan(5 * 1024 * 1024);
    } finally {
      connection.destroy();
    }
  });

  it('a refusal just over the limit keeps the connection for the next request', async () => {
    const connection = await openRawHttpConnection(server.port);
    try {
      const body = Buffer.alloc(API_BODY_LIMIT + 1024, 'a');
      await connection.write(
        requestHead('POST', '/api/signup', {
          origin: server.url,
          'content-type': 'application/json',
          'content-length': body.length,
        }),
      );
      await connection.write(body);
      const refused = await connection.response();
      expect(refused.status).toBe(413);
      expect(refused.headers.connection).toBe('keep-alive');
      await connection.write(requestHead('GET', '/api/health'));
      expect((await connection.response()).status).toBe(200);
    } finally {
      connection.destroy();
    }
  });
});
