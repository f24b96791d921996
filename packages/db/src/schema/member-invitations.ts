import { sql } from 'drizzle-orm';
import { check, foreignKey, index, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { user } from './auth';
import { createdAt, id, timestamptz, workspaceId } from './columns';
import { workspaces } from './workspaces';

/**
 * An invitation to join a workspace with a role. Only a hash of the one-time token is kept: holding
 * the link is the proof, and a database reader cannot use it. Accepted, revoked or past
 * `expires_at`, it no longer opens.
 */
export const memberInvitations = pgTable(
  'member_invitations',
  {
    id: id(),
    workspaceId: workspaceId(),
    email: text('email').notNull(),
    role: text('role').notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: uuid('invited_by'),
    createdAt: createdAt(),
    expiresAt: timestamptz('expires_at').notNull(),
    acceptedAt: timestamptz('accepted_at'),
    acceptedBy: uuid('accepted_by'),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.invitedBy], foreignColumns: [user.id] }).onDelete('set null'),
    foreignKey({ columns: [t.acceptedBy], foreignColumns: [user.id] }).onDelete('set null'),
    unique('member_invitations_token_hash_unique').on(t.tokenHash),
    index('member_invitations_workspace_idx').on(t.workspaceId, t.createdAt),
    check('member_invitations_role_check', sql`${t.role} in ('admin', 'member')`),
  ],
);
