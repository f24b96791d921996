import { type PaylinksDb, schema } from '@paylinks/db';
import { and, asc, eq } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import type { Clock } from '../app-context.js';
import { ProblemError, problemResponse } from '../http/problem.js';
import { scopeRefusal } from './api-key-scopes.js';
import { budgetHeaders, verifyApiKey } from './api-key-verification.js';
import type { Auth } from './auth.js';
import { watchAuthDatabase } from './auth-database-failures.js';
import { type Caller, isMemberRole, type MemberEnv } from './caller.js';
import { isSameOriginMutation } from './origin.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function bearerToken(header: string | undefined): string | null {
  return header ? (/^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? null) : null;
}

const unauthenticated = (message: string) => new ProblemError(401, { code: 'unauthenticated', message });

/** What requireMember needs; the clock and the per-key limit count API-key requests. */
export interface RequireMemberDeps {
  auth: Auth;
  db: PaylinksDb;
  ownOrigin: string;
  clock: Clock;
  apiKeyRequestsPerMinute: number;
}

/**
 * Resolves the caller from `Authorization: Bearer <api key>` or the session cookie. Membership
 * is re-read on every request, so removing a member also cuts off that member's API keys.
 */
export function requireMember(deps: RequireMemberDeps) {
  return createMiddleware<MemberEnv>(async (c, next) => {
    const key = bearerToken(c.req.header('authorization'));
    if (key) {
      // Checked here rather than by better-auth's verifyApiKey, which costs a SELECT and two UPDATEs
      // of the key row per request and whose limit only resets after a full minute without requests.
      const verdict = await verifyApiKey(deps.db, {
        key,
        now: deps.clock.now(),
        requestsPerMinute: deps.apiKeyRequestsPerMinute,
      });
      switch (verdict.kind) {
        case 'unknown':
          throw unauthenticated('The API key is not valid.');
        case 'not_member':
          throw unauthenticated('You are not a member of this workspace.');
        case 'rate_limited': {
          const wait = verdict.budget.resetSeconds;
          for (const [name, value] of Object.entries(budgetHeaders(verdict.budget))) c.header(name, value);
          c.header('retry-after', String(wait));
          return problemResponse(c, 429, {
            code: 'rate_limited',
            message: `Too many requests for this API key. Try again in ${wait} seconds.`,
          });
        }
        case 'accepted': {
          const { userId, workspaceId, role, scope } = verdict;
          const budget = budgetHeaders(verdict.budget);
          // The one place a key's scope is enforced, before any route (or idempotency) sees it.
          const refusal = scopeRefusal(scope, c.req.method, c.req.path);
          if (refusal) {
            for (const [name, value] of Object.entries(budget)) c.header(name, value);
            return problemResponse(c, 403, refusal);
          }
          c.set('caller', { userId, workspaceId, role, via: 'api-key', scope });
          await next();
          // After the handler, so refusals and errors it answered with carry the budget too.
          for (const [name, value] of Object.entries(budget)) c.res.headers.set(name, value);
          return;
        }
        default: {
          const unreachable: never = verdict;
          return unreachable;
        }
      }
    }

    const { value: session } = await watchAuthDatabase(
      () => deps.auth.api.getSession({ headers: c.req.raw.headers }),
      (found) => !found,
    );
    if (!session) throw unauthenticated('Sign in, or send an API key as Authorization: Bearer.');
    if (!isSameOriginMutation(c.req.method, c.req.raw.headers, deps.ownOrigin)) {
      throw new ProblemError(403, {
        code: 'cross_origin_refused',
        message: 'Cross-origin request refused.',
      });
    }
    const userId = session.user.id;
    const workspaceId = session.session.activeOrganizationId ?? null;
    const selected =
      workspaceId && uuidPattern.test(workspaceId) ? await membership(deps.db, userId, workspaceId) : null;
    // A session's selection can go missing (never set, or the user left that workspace): it then
    // works in the user's first workspace rather than locking them out.
    const row = selected ?? (await firstMembership(deps.db, userId));
    if (!row || !isMemberRole(row.role)) throw unauthenticated('You are not a member of any workspace.');

    c.set('caller', { userId, workspaceId: row.workspaceId, role: row.role, via: 'session' });
    await next();
  });
}

const membershipColumns = { workspaceId: schema.member.organizationId, role: schema.member.role };

async function membership(db: PaylinksDb, userId: string, workspaceId: string) {
  const [row] = await db
    .select(membershipColumns)
    .from(schema.member)
    .where(and(eq(schema.member.userId, userId), eq(schema.member.organizationId, workspaceId)))
    .limit(1);
  return row ?? null;
}

/** The workspace the user joined first: the same one a fresh sign-in starts in (see auth.ts). */
async function firstMembership(db: PaylinksDb, userId: string) {
  const [row] = await db
    .select(membershipColumns)
    .from(schema.member)
    .where(eq(schema.member.userId, userId))
    .orderBy(asc(schema.member.createdAt), asc(schema.member.id))
    .limit(1);
  return row ?? null;
}

/** Refuses callers whose role is not in `roles`. */
export function requireRole(caller: Caller, roles: readonly Caller['role'][]): void {
  if (!roles.includes(caller.role)) {
    throw new ProblemError(403, { code: 'forbidden', message: `This needs the role ${roles.join(' or ')}.` });
  }
}
