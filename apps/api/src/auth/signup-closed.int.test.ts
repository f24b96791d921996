import { openTestDatabase, type TestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../testing/test-app.js';

// A fresh database per test: "fresh install" means no workspace at all.
let database: TestDatabase;
let closed: TestApp;
beforeAll(async () => {
  database = await openTestDatabase();
  closed = testApp(database, { config: { openSignup: false } });
});
afterAll(() => database.close());

const signUp = (app: TestApp, n: number) =>
  app.call(null, 'POST', '/api/signup', {
    name: `Person ${n}`,
    email: `person-${n}@example.com`,
    password: 'a long enough password',
    workspaceName: `Workspace ${n}`,
  });

describe('public sign-up', () => {
  it('says sign-up is open on a fresh install and closed once the first workspace exists', async () => {
    const fresh = await openTestDatabase();
    try {
      const app = testApp(fresh, { config: { openSignup: false } });
      const state = async () => (await app.call(null, 'GET', '/api/signup')).json();
      await expect(state()).resolves.toEqual({ open: true });
      expect((await signUp(app, 0)).status).toBe(201);
      await expect(state()).resolves.toEqual({ open: false });
      const open = testApp(fresh, { config: { openSignup: true } });
      await expect((await open.call(null, 'GET', '/api/signup')).json()).resolves.toEqual({ open: true });
    } finally {
      await fresh.close();
    }
  });

  it('creates the first workspace on a fresh install, then answers 403 signup_closed and makes no account', async () => {
    const racing = await Promise.all([signUp(closed, 1), signUp(closed, 2)]);
    expect(racing.map((r) => r.status).sort()).toEqual([201, 403]);
    const refused = await signUp(closed, 3);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'signup_closed' });
    expect(await database.db.query.workspaces.findMany()).toHaveLength(1);
    const emails = (await database.db.query.user.findMany()).map((u) => u.email);
    expect(emails).toHaveLength(1);
    expect(emails).not.toContain('person-3@example.com');
  });

  it('stays open with PAYLINKS_OPEN_SIGNUP=true', async () => {
    const open = testApp(database, { config: { openSignup: true } });
    expect((await signUp(open, 4)).status).toBe(201);
    expect((await signUp(open, 5)).status).toBe(201);
    expect((await signUp(closed, 6)).status).toBe(403);
  });
});
