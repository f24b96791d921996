import { createHash } from 'node:crypto';
import { type PaylinksDb, selectRows } from '@paylinks/db';
import { sql } from 'drizzle-orm';
import { type ApiKeyScope, defaultApiKeyScope, isApiKeyScope } from './api-key-scopes.js';
import { isMemberRole, type MemberRole } from './caller.js';

/** Requests one API key may make per minute unless PAYLINKS_API_KEY_RATE_LIMIT says otherwise. */
export const DEFAULT_API_KEY_REQUESTS_PER_MINUTE = 600;

/**
 * The windows are rate-limit-store.ts's: fixed, aligned to multiples of their length from the epoch,
 * counted in `rate_limit_hits`, so every instance agrees on which minute a request falls in.
 */
const windowMs = 60_000;

/** A key's last use is recorded at most this often: the row is not rewritten on every request. */
const lastUsedResolutionMs = 60_000;

const uuid = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/**
 * The form @better-auth/api-key stores a key in (its defaultKeyHasher: SHA-256 of the UTF-8 key,
 * base64url without padding), so keys made through POST /api/api-keys are found. Node's hash is
 * synchronous, which the plugin's WebCrypto one is not; api-key-hash.test.ts holds them equal.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('base64url');
}

/** What a key may still do in the current minute, for the RateLimit-* headers. */
export interface ApiKeyBudget {
  limit: number;
  remaining: number;
  /** Whole seconds until the window ends and the budget is whole again (at least 1). */
  resetSeconds: number;
}

export type ApiKeyVerdict =
  /** No enabled, unexpired key with this value: nothing was counted. */
  | { kind: 'unknown' }
  /** The key's user is no longer a member of the key's workspace. */
  | { kind: 'not_member' }
  | { kind: 'rate_limited'; budget: ApiKeyBudget }
  | {
      kind: 'accepted';
      userId: string;
      workspaceId: string;
      role: MemberRole;
      scope: ApiKeyScope;
      budget: ApiKeyBudget;
    };

/**
 * Checks a presented key in one statement: finds the enabled, unexpired key, the membership of its
 * user in its workspace and the key's scope, counts the request in the key's per-minute window, and, at most once a
 * minute, records the key's last use. A key that does not exist counts nothing.
 */
export async function verifyApiKey(
  db: PaylinksDb,
  presented: { key: string; now: Date; requestsPerMinute: number },
): Promise<ApiKeyVerdict> {
  const { now, requestsPerMinute } = presented;
  const startMs = now.getTime() - (now.getTime() % windowMs);
  const windowStart = new Date(startMs).toISOString();
  const windowEnd = new Date(startMs + windowMs).toISOString();
  const usedBefore = new Date(now.getTime() - lastUsedResolutionMs).toISOString();
  const at = now.toISOString();

  // Data-modifying CTEs run to completion whether or not the final SELECT reads them. The ids are
  // cast only once they look like uuids, so a malformed metadata value refuses the key instead of
  // failing the statement.
  const [row] = await selectRows<{
    userId: string;
    workspaceId: string;
    role: string | null;
    scope: string | null;
    hits: number;
  }>(
    db,
    sql`
      with found as (
        select id, reference_id, (metadata)::jsonb ->> 'workspaceId' as workspace_id,
          (metadata)::jsonb ->> 'scope' as scope
        from apikey
        where key = ${hashApiKey(presented.key)}
          and enabled is not false
          and (expires_at is null or expires_at > ${at}::timestamptz)
        limit 1
      ),
      caller as (
        select found.id, found.scope, m.user_id, m.workspace_id, m.role
        from found
        left join member m
          on m.user_id = (case when found.reference_id ~* ${uuid} then found.reference_id::uuid end)
          and m.workspace_id = (case when found.workspace_id ~* ${uuid} then found.workspace_id::uuid end)
      ),
      counted as (
        insert into rate_limit_hits (bucket, window_start, hits, expires_at)
        select 'api-key:' || id, ${windowStart}::timestamptz, 1, ${windowEnd}::timestamptz from found
        on conflict (bucket, window_start) do update set hits = rate_limit_hits.hits + 1
        returning hits
      ),
      used as (
        update apikey set last_request = ${at}::timestamptz
        from caller, counted
        where apikey.id = caller.id
          and caller.role is not null
          and counted.hits <= ${requestsPerMinute}::int
          and (apikey.last_request is null or apikey.last_request <= ${usedBefore}::timestamptz)
        returning apikey.id
      )
      select caller.user_id::text as "userId", caller.workspace_id::text as "workspaceId", caller.role,
        caller.scope, counted.hits
      from caller cross join counted
    `,
  );
  if (!row) return { kind: 'unknown' };
  if (row.role === null || !isMemberRole(row.role)) return { kind: 'not_member' };
  const budget: ApiKeyBudget = {
    limit: requestsPerMinute,
    remaining: Math.max(0, requestsPerMinute - row.hits),
    resetSeconds: Math.max(1, Math.ceil((startMs + windowMs - now.getTime()) / 1000)),
  };
  if (row.hits > requestsPerMinute) return { kind: 'rate_limited', budget };
  // No scope recorded: a key made before scopes existed. An unknown one (a hand-edited row) is
  // narrowed to reading rather than trusted with everything.
  const scope = row.scope === null ? defaultApiKeyScope : isApiKeyScope(row.scope) ? row.scope : 'read';
  return {
    kind: 'accepted',
    userId: row.userId,
    workspaceId: row.workspaceId,
    role: row.role,
    scope,
    budget,
  };
}

/** The IETF draft's RateLimit-Limit/-Remaining/-Reset headers (as GitHub and others send them). */
export function budgetHeaders(budget: ApiKeyBudget): Record<string, string> {
  return {
    'ratelimit-limit': String(budget.limit),
    'ratelimit-remaining': String(budget.remaining),
    'ratelimit-reset': String(budget.resetSeconds),
  };
}
