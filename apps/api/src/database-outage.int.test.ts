import { randomBytes } from 'node:crypto';
import {
  openTestDatabase,
  startThrowawayCluster,
  type ThrowawayCluster,
  testDriver,
} from '@paylinks/db/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectAllServing,
  expectAllUnavailable,
  type OutageWorld,
  outageProbes,
  seedOutageWorld,
} from './testing/outage-probes.js';
import { type ServerProcess, startServerProcess } from './testing/server-process.js';
import { testApp, testOrigin } from './testing/test-app.js';

describe('API keys while the database answers', () => {
  it('refuses an unknown key and a revoked one with 401', async () => {
    const app = testApp(await openTestDatabase());
    try {
      const send = async (path: string, init?: RequestInit) => app.request(path, init);
      const world = await seedOutageWorld(send, testOrigin);
      const withKey = (key: string) => send('/api/contacts', { headers: { authorization: `Bearer ${key}` } });
      expect((await withKey(world.apiKey)).status).toBe(200);

      const unknown = await withKey(`${world.apiKey.slice(0, -4)}zzzz`);
      expect(unknown.status).toBe(401);
      expect(await unknown.json()).toMatchObject({ code: 'unauthenticated' });

      const revoked = await send(`/api/api-keys/${world.apiKeyId}`, {
        method: 'DELETE',
        headers: { origin: testOrigin, cookie: world.cookie },
      });
      expect(revoked.status).toBe(204);
      expect((await withKey(world.apiKey)).status).toBe(401);
    } finally {
      await app.close();
    }
  });
});

describe('while the database is closed under the running app', () => {
  it('every way in answers 503 database_unavailable with Retry-After, none blames the caller', async () => {
    const app = testApp(await openTestDatabase());
    const send = async (path: string, init?: RequestInit) => app.request(path, init);
    const world = await seedOutageWorld(send, testOrigin);
    const probes = outageProbes(send, testOrigin, world);
    await expectAllServing(probes);

    // PGlite: "PGlite is closed"; postgres.js: CONNECTION_ENDED.
    await app.close();

    await expectAllUnavailable(probes);
    const logged = JSON.stringify(app.logger.lines);
    expect(logged).not.toContain(world.linkToken);
    expect(logged).not.toContain(world.email);
  });
});

describe.runIf(testDriver() === 'postgres')('while PostgreSQL is stopped under a running server', () => {
  const publicUrl = 'http://localhost:3998';
  let cluster: ThrowawayCluster;
  let server: ServerProcess;
  let world: OutageWorld;
  const send = (path: string, init?: RequestInit) => fetch(`${server.origin}${path}`, init);

  beforeAll(async () => {
    cluster = await startThrowawayCluster();
    const admin = postgres(cluster.adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe('create database paylinks');
    await admin.end();
    server = await startServerProcess({
      DATABASE_URL: cluster.adminUrl.replace(/\/postgres$/, '/paylinks'),
      PAYLINKS_SECRET_KEY: randomBytes(32).toString('base64'),
      PUBLIC_URL: publicUrl,
    });
    world = await seedOutageWorld(send, publicUrl);
  }, 60_000);

  afterAll(async () => {
    await server?.kill();
    await cluster?.stop();
  });

  it('answers 503 database_unavailable with Retry-After everywhere, keeps the API key, and recovers without a restart', async () => {
    const probes = outageProbes(send, publicUrl, world);
    await expectAllServing(probes);

    await cluster.pause();
    await expectAllUnavailable(probes);

    await cluster.resume();
    await expectAllServing(probes);

    // Nothing a statement carried reached the log while the queries failed.
    expect(server.output()).toContain('"errorCode":"ECONNREFUSED"');
    expect(server.output()).not.toContain(world.linkToken);
    expect(server.output()).not.toContain(world.email);
  });
});
