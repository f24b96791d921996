import type { ApiKeyScope } from './api-key-scopes.js';

export const memberRoles = ['owner', 'admin', 'member'] as const;
export type MemberRole = (typeof memberRoles)[number];

/** Who is calling, resolved once per request by requireMember. */
export interface Caller {
  userId: string;
  workspaceId: string;
  role: MemberRole;
  /** API-key callers skip the Origin check and cannot manage API keys. */
  via: 'session' | 'api-key';
  /** What an API key was made for (api-key-scopes.ts); a signed-in member has none, only a role. */
  scope?: ApiKeyScope;
}

export type MemberEnv = { Variables: { caller: Caller } };

export function isMemberRole(value: string): value is MemberRole {
  return (memberRoles as readonly string[]).includes(value);
}
