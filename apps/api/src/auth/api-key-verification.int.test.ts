import { rateLimitHits, schema, selectRows } from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { createApiKey, rateLimitHeaders, withKey } from './api-key-fixtures.js';

let app: TestApp;
let owner: TestMember;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Acme');
});
afterAll(() => app.close());

const at = (iso: string) => new Date(iso);
const plus = (time: Date, ms: number) => new Date(time.getTime() + ms);

/** The statements one request sends, as their SQL text. */
async function statementsOf(request: () => unknown) {
  const seen: string[] = [];
  const stop = app.database.observeStatements((text) => seen.push(text));
  try {
    await request();
  } finally {
    stop();
  }
  return seen;
}

/** The row's version: PostgreSQL gives a row a new xmin whenever it is written. */
async function rowVersion(keyId: string) {
  const [row] = await selectRows<{ version: string }>(
    app.database.db,
    sql`select xmin::text as version from apikey where id = ${keyId}`,
  );
  return row?.version;
}

async function listedKey(keyId: string) {
  const { apiKeys } = (await (await app.call(owner, 'GET', '/api/api-keys')).json()) as {
    apiKeys: { id: string; lastUsedAt: string | null }[];
  };
  return apiKeys.find((k) => k.id === keyId);
}

describe('checking an API key', () => {
  it('costs one statement per request once warm, and writes the key row at most once a minute', async () => {
    const { id, key } = await createApiKey(app, owner, 'hot path');
    expect((await listedKey(id))?.lastUsedAt).toBeNull();
    const start = at('2026-11-26T12:00:20Z');
    app.clock.set(start);
    // GET /api/api-keys answers an API key 403 before its handler queries anything: what it sends
    // is the key check alone. The first requests warm connections and the once-a-minute write.
    for (let i = 0; i < 3; i++) expect((await withKey(app, key, '/api/api-keys')).status).toBe(403);
    expect((await listedKey(id))?.lastUsedAt).toBe(start.toISOString());

    const version = await rowVersion(id);
    for (let second = 1; second < 60; second++) {
      app.clock.set(plus(start, second * 1000));
      const statements = await statementsOf(() => withKey(app, key, '/api/api-keys'));
      expect(statements, `request at +${second}s`).toHaveLength(1);
    }
    expect(await rowVersion(id)).toBe(version);
    expect((await listedKey(id))?.lastUsedAt).toBe(start.toISOString());

    const minuteLater = plus(start, 60_000);
    app.clock.set(minuteLater);
    expect(await statementsOf(() => withKey(app, key, '/api/api-keys'))).toHaveLength(1);
    expect(await rowVersion(id)).not.toBe(version);
    expect((await listedKey(id))?.lastUsedAt).toBe(minuteLater.toISOString());
  });

  it('tells a script its budget on every answer; a signed-in member is not counted', async () => {
    const { key } = await createApiKey(app, owner, 'headers');
    app.clock.set(at('2026-11-26T12:10:40Z'));
    const first = await withKey(app, key);
    expect(rateLimitHeaders(first)).toEqual({ limit: 600, remaining: 599, reset: 20, retryAfter: null });
    // Refused after the key check (a key cannot manage keys): still counted, still told.
    const refused = await withKey(app, key, '/api/api-keys');
    expect(refused.status).toBe(403);
    expect(rateLimitHeaders(refused)).toMatchObject({ limit: 600, remaining: 598 });

    const session = await app.call(owner, 'GET', '/api/me');
    expect(session.status).toBe(200);
    expect(rateLimitHeaders(session)).toMatchObject({ limit: null, remaining: null });
  });

  it('refuses a key whose member was removed, even while its row remains', async () => {
    const admin = await app.addMember(owner, 'admin');
    const viaApi = await createApiKey(app, admin, 'removed via the API');
    expect((await withKey(app, viaApi.key)).status).toBe(200);
    expect((await app.call(owner, 'DELETE', `/api/members/${admin.userId}`)).status).toBe(204);
    expect((await withKey(app, viaApi.key)).status).toBe(401);

    const other = await app.addMember(owner, 'admin');
    const kept = await createApiKey(app, other, 'outlives the membership');
    expect((await withKey(app, kept.key)).status).toBe(200);
    await app.database.db
      .delete(schema.member)
      .where(
        and(eq(schema.member.userId, other.userId), eq(schema.member.organizationId, owner.workspaceId)),
      );
    const refused = await withKey(app, kept.key);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'unauthenticated' });
  });

  it('refuses a revoked, a disabled, an expired and an unknown key, and counts nothing for one that does not exist', async () => {
    const revoked = await createApiKey(app, owner, 'revoked');
    expect((await app.call(owner, 'DELETE', `/api/api-keys/${revoked.id}`)).status).toBe(204);
    expect((await withKey(app, revoked.key)).status).toBe(401);

    const disabled = await createApiKey(app, owner, 'disabled');
    await app.database.db
      .update(schema.apikey)
      .set({ enabled: false })
      .where(eq(schema.apikey.id, disabled.id));
    expect((await withKey(app, disabled.key)).status).toBe(401);

    const expiring = await createApiKey(app, owner, 'expiring');
    const now = at('2026-11-26T12:30:00Z');
    app.clock.set(now);
    await app.database.db
      .update(schema.apikey)
      .set({ expiresAt: plus(now, 3_600_000) })
      .where(eq(schema.apikey.id, expiring.id));
    expect((await withKey(app, expiring.key)).status).toBe(200);
    app.clock.set(plus(now, 3_600_000));
    const expired = await withKey(app, expiring.key);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('content-type')).toBe('application/problem+json');

    const buckets = async () => (await app.database.db.select().from(rateLimitHits)).length;
    const before = await buckets();
    for (const bogus of ['pl_bogus', `${expiring.key.slice(0, -4)}zzzz`, 'x'.repeat(300)]) {
      const response = await withKey(app, bogus);
      expect(response.status).toBe(401);
      expect(rateLimitHeaders(response).limit).toBeNull();
    }
    expect(await buckets()).toBe(before);
  });
});
