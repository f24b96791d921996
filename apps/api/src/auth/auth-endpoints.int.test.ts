import { randomUUID } from 'node:crypto';
import { schema } from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logger.js';
import { type TestApp, type TestMember, testApp, testPublicUrl } from '../testing/test-app.js';
import { createAuth } from './auth.js';
import { joinWorkspace } from './auth-fixtures.js';
import {
  authBasePath,
  isOfferedAuthRoute,
  libraryAuthRoutes,
  offeredAuthRoutes,
} from './offered-auth-routes.js';

let app: TestApp;
let owner: TestMember;
let admin: TestMember;
let member: TestMember;
let stranger: TestMember;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Acme Training');
  admin = await joinWorkspace(app, owner, 'admin');
  member = await joinWorkspace(app, owner, 'member');
  stranger = await app.signUp('Somebody else');
});
afterAll(() => app.close());

async function memberRowId(who: TestMember): Promise<string> {
  const [row] = await app.database.db
    .select({ id: schema.member.id })
    .from(schema.member)
    .where(and(eq(schema.member.userId, who.userId), eq(schema.member.organizationId, who.workspaceId)));
  return row!.id;
}

async function roleOf(who: TestMember) {
  const response = await app.call(who, 'GET', '/api/me');
  return {
    status: response.status,
    role: response.status === 200 ? ((await response.json()) as any).role : null,
  };
}

/** What the people of the workspace would notice changing: who is in it, with which role, and whether it exists. */
async function teamState() {
  const db = app.database.db;
  return {
    workspaces: await db
      .select({ id: schema.workspaces.id, name: schema.workspaces.name, slug: schema.workspaces.slug })
      .from(schema.workspaces)
      .orderBy(asc(schema.workspaces.id)),
    members: await db
      .select({
        workspace: schema.member.organizationId,
        user: schema.member.userId,
        role: schema.member.role,
      })
      .from(schema.member)
      .orderBy(asc(schema.member.id)),
    users: await db
      .select({ id: schema.user.id, email: schema.user.email, name: schema.user.name })
      .from(schema.user)
      .orderBy(asc(schema.user.id)),
    sessions: await db
      .select({ id: schema.session.id, active: schema.session.activeOrganizationId })
      .from(schema.session)
      .orderBy(asc(schema.session.id)),
    invitations: await db.select({ id: schema.invitation.id }).from(schema.invitation),
    apiKeys: await db.select({ id: schema.apikey.id }).from(schema.apikey),
  };
}

function expectNotFound(response: Response, label: string) {
  expect(response.status, label).toBe(404);
  expect(response.headers.get('content-type'), label).toBe('application/problem+json');
}

describe('what an admin or owner could do through better-auth before', () => {
  it('an admin cannot promote a member through organization/update-member-role', async () => {
    const response = await app.call(admin, 'POST', '/api/auth/organization/update-member-role', {
      memberId: await memberRowId(member),
      role: 'admin',
    });
    expectNotFound(response, 'update-member-role');
    expect(await roleOf(member)).toEqual({ status: 200, role: 'member' });
  });

  it('an admin cannot give a member a role our API does not know', async () => {
    const response = await app.call(admin, 'POST', '/api/auth/organization/update-member-role', {
      memberId: await memberRowId(member),
      role: ['admin', 'member'],
    });
    expectNotFound(response, 'update-member-role');
    expect(await roleOf(member)).toEqual({ status: 200, role: 'member' });
  });

  it('an admin cannot remove a member through organization/remove-member', async () => {
    const response = await app.call(admin, 'POST', '/api/auth/organization/remove-member', {
      memberIdOrEmail: member.email,
    });
    expectNotFound(response, 'remove-member');
    expect(await roleOf(member)).toEqual({ status: 200, role: 'member' });
  });

  it('the owner cannot delete the workspace through organization/delete', async () => {
    const response = await app.call(owner, 'POST', '/api/auth/organization/delete', {
      organizationId: owner.workspaceId,
    });
    expectNotFound(response, 'organization/delete');
    const [row] = await app.database.db
      .select({ id: schema.workspaces.id })
      .from(schema.workspaces)
      .where(eq(schema.workspaces.id, owner.workspaceId));
    expect(row).toEqual({ id: owner.workspaceId });
    expect(await roleOf(owner)).toEqual({ status: 200, role: 'owner' });
  });

  it("a cross-site GET to organization/get-full-organization leaves the member's workspace selected", async () => {
    // A link on another site: a top-level navigation, so the SameSite=Lax cookie goes along.
    const response = await app.request(
      `/api/auth/organization/get-full-organization?organizationId=${stranger.workspaceId}`,
      {
        headers: {
          cookie: member.headers.cookie!,
          'sec-fetch-site': 'cross-site',
          'sec-fetch-mode': 'navigate',
        },
      },
    );
    expectNotFound(response, 'get-full-organization');
    expect(await roleOf(member)).toEqual({ status: 200, role: 'member' });
    const session = await app.request('/api/auth/get-session', { headers: member.headers });
    expect(await session.json()).toMatchObject({ session: { activeOrganizationId: owner.workspaceId } });
  });

  it("better-auth's own sign-up is not reachable: no account, no way around our sign-up", async () => {
    const email = `direct-${randomUUID().slice(0, 8)}@example.com`;
    const response = await app.call(null, 'POST', '/api/auth/sign-up/email', {
      name: 'Direct',
      email,
      password: 'a long enough password',
    });
    expectNotFound(response, 'sign-up/email');
    const users = await app.database.db.select().from(schema.user).where(eq(schema.user.email, email));
    expect(users).toEqual([]);
  });
});

describe('the auth routes on offer', () => {
  const library = () =>
    libraryAuthRoutes(
      createAuth({
        db: app.database.db,
        publicUrl: testPublicUrl,
        secretKey: Buffer.alloc(32, 1),
        logger: createMemoryLogger(),
      }),
    );

  it("reads better-auth's whole route list, and it serves every route we offer", () => {
    const routes = library();
    // The organization and API-key plugins are in it, not only the core.
    expect(routes.map((route) => route.path)).toEqual(
      expect.arrayContaining([
        '/sign-up/email',
        '/organization/delete',
        '/organization/update-member-role',
        '/api-key/list',
      ]),
    );
    expect(routes.length).toBeGreaterThan(50);
    for (const offered of offeredAuthRoutes) {
      expect(routes.find((route) => route.path === offered.path)?.methods, offered.path).toContain(
        offered.method,
      );
    }
  });

  it('answers 404 for every other path and method of it, to an owner and an admin, and nothing changes', async () => {
    const before = await teamState();
    const memberId = await memberRowId(member);
    const outsider = `outsider-${randomUUID().slice(0, 8)}@example.com`;
    // Enough for each of its routes to act, had it been reached: the ids of this workspace and its people.
    const body = {
      organizationId: owner.workspaceId,
      organizationSlug: before.workspaces.find((w) => w.id === owner.workspaceId)!.slug,
      memberId,
      memberIdOrEmail: member.email,
      userId: member.userId,
      role: 'admin',
      email: outsider,
      name: 'Taken over',
      data: { name: 'Taken over' },
      password: 'correct horse battery staple',
      newPassword: 'a brand new password',
      currentPassword: 'correct horse battery staple',
      token: randomUUID(),
      keyId: randomUUID(),
      invitationId: randomUUID(),
      revokeOtherSessions: true,
    };
    const query = `?organizationId=${stranger.workspaceId}&id=${randomUUID()}`;
    const paths = [...new Set(library().map((route) => route.path)), '/no-such-route'];
    let walked = 0;
    for (const who of [admin, owner]) {
      for (const path of paths) {
        const url = authBasePath + path.replace(/:[A-Za-z]+/g, randomUUID());
        for (const method of ['GET', 'POST'] as const) {
          if (isOfferedAuthRoute(method, url)) continue;
          const response =
            method === 'GET'
              ? await app.request(url + query, { headers: who.headers })
              : await app.call(who, 'POST', url, body);
          expectNotFound(response, `${method} ${url}`);
          expect(await response.json(), `${method} ${url}`).toMatchObject({ code: 'not_found' });
          walked += 1;
        }
      }
    }
    expect(walked).toBeGreaterThan(200);
    expect(await teamState()).toEqual(before);
    expect(await roleOf(owner)).toEqual({ status: 200, role: 'owner' });
    expect(await roleOf(admin)).toEqual({ status: 200, role: 'admin' });
    expect(await roleOf(member)).toEqual({ status: 200, role: 'member' });
  });

  it('keeps methods other than the offered one closed on the offered paths', async () => {
    for (const { method, path } of offeredAuthRoutes) {
      for (const other of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => m !== method)) {
        const response = await app.request(authBasePath + path, {
          method: other,
          headers: { ...owner.headers, 'content-type': 'application/json' },
          ...(other === 'GET' ? {} : { body: '{}' }),
        });
        expectNotFound(response, `${other} ${path}`);
      }
    }
    // Not a way around the list: a trailing slash, an encoded slash, other case.
    for (const path of [
      '/api/auth/sign-up/email/',
      '/api/auth/organization%2Fdelete',
      '/api/auth/Organization/delete',
    ]) {
      expectNotFound(await app.call(owner, 'POST', path, { organizationId: owner.workspaceId }), path);
    }
  });

  it('documents exactly the offered routes in OpenAPI', async () => {
    const document: any = await (await app.request('/api/openapi.json')).json();
    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.startsWith(`${authBasePath}/`))
      .flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      )
      .sort();
    expect(documented).toEqual(
      offeredAuthRoutes.map((route) => `${route.method} ${authBasePath}${route.path}`).sort(),
    );
  });
});

describe('the offered routes still work', () => {
  it('reads the session with GET get-session', async () => {
    const response = await app.request('/api/auth/get-session', { headers: owner.headers });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ user: { id: owner.userId, email: owner.email } });
  });

  it('still refuses a sign-out from another site', async () => {
    const response = await app.request('/api/auth/sign-out', {
      method: 'POST',
      headers: { cookie: owner.headers.cookie!, origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
    expect(await roleOf(owner)).toEqual({ status: 200, role: 'owner' });
  });
});
