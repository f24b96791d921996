import { type PaylinksDb, schema } from '@paylinks/db';
import { and, asc, eq } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { ProblemError } from '../http/problem.js';
import type { Auth } from './auth.js';
import { watchAuthDatabase } from './auth-database-failures.js';
import { type Caller, isMemberRole, type MemberEnv } from './caller.js';
import { isSameOriginMutation } from './origin.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function bearerToken(header: string | undefined): string | null {
  return header ? (/^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? null) : null;
}

const unauthenticated = (message: string) => new ProblemError(401, { code: 'unauthenticated', message });

/**
 * Resolves the caller from `Authorization: Bearer <api key>` or the session cookie. Membership
 * is re-read on every request, so removing a member also cuts off that member's API keys.
 */
export function requireMember(deps: { auth: Auth; db: PaylinksDb; ownOrigin: string }) {
  return createMiddleware<MemberEnv>(async (c, next) => {
    let userId: string;
    let workspaceId: string | null;
    let via: Caller['via'];

    const key = bearerToken(c.req.header('authorization'));
    if (key) {
      const { value: result, swallowed } = await watchAuthDatabase(
        () => deps.auth.api.verifyApiKey({ body: { key } }),
        (verified) => !verified.valid,
      );
      if (!result.valid || !result.key) {
        // The plugin answers "invalid" for any error on the way; a key is only refused when its
        // lookup worked. Thrown, the failure becomes a logged 500 rather than a lie about the key.
        if (swallowed !== undefined) throw swallowed;
        if (result.error?.code === 'RATE_LIMITED') {
          throw new ProblemError(429, {
            code: 'rate_limited',
            message: 'Too many requests for this API key.',
          });
        }
        throw unauthenticated('The API key is not valid.');
      }
      userId = result.key.referenceId;
      const metadata = result.key.metadata as { workspaceId?: unknown } | null;
      workspaceId = typeof metadata?.workspaceId === 'string' ? metadata.workspaceId : null;
      via = 'api-key';
    } else {
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
      userId = session.user.id;
      workspaceId = session.session.activeOrganizationId ?? null;
      via = 'session';
    }

    const selected =
      workspaceId && uuidPattern.test(workspaceId) ? await membership(deps.db, userId, workspaceId) : null;
    // A session's selection can go missing (never set, or the user left that workspace): it then
    // works in the user's first workspace rather than locking them out. An API key belongs to its
    // one workspace and never moves.
    const row = selected ?? (via === 'session' ? await firstMembership(deps.db, userId) : null);
    if (!row || !isMemberRole(row.role)) {
      throw unauthenticated(
        via === 'session'
          ? 'You are not a member of any workspace.'
          : 'You are not a member of this workspace.',
      );
    }

    c.set('caller', { userId, workspaceId: row.workspaceId, role: row.role, via });
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
