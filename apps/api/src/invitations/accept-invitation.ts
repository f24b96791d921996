import { randomUUID } from 'node:crypto';
import { isUniqueViolation, type PaylinksDb, type PaylinksTransaction, schema } from '@paylinks/db';
import { eq } from 'drizzle-orm';
import { ProblemError } from '../http/problem.js';
import type { InvitableRole } from './invitation-schemas.js';
import { closedInvitationProblem, invitationNotFound, invitationState } from './invitation-state.js';

export interface OpenInvitation {
  id: string;
  workspaceId: string;
  workspaceName: string;
  email: string;
  role: InvitableRole;
  expiresAt: Date;
}

/** The invitation a token opens, or the 404/410 a person holding a dead link sees. */
export async function openInvitation(
  db: PaylinksDb | PaylinksTransaction,
  tokenHash: string,
  now: Date,
  options: { lock?: boolean } = {},
): Promise<OpenInvitation> {
  const query = db
    .select({ invitation: schema.memberInvitations, workspaceName: schema.workspaces.name })
    .from(schema.memberInvitations)
    .innerJoin(schema.workspaces, eq(schema.workspaces.id, schema.memberInvitations.workspaceId))
    .where(eq(schema.memberInvitations.tokenHash, tokenHash));
  // The row lock makes two accepts of one link take turns: the second sees it used.
  const [row] = options.lock ? await query.for('update', { of: schema.memberInvitations }) : await query;
  if (!row) throw invitationNotFound();
  const closed = closedInvitationProblem(invitationState(row.invitation, now));
  if (closed) throw closed;
  const { invitation } = row;
  return {
    id: invitation.id,
    workspaceId: invitation.workspaceId,
    workspaceName: row.workspaceName,
    email: invitation.email,
    role: invitation.role as InvitableRole,
    expiresAt: invitation.expiresAt,
  };
}

export const signInRequired = () =>
  new ProblemError(401, {
    code: 'sign_in_required',
    field: 'token',
    message: 'An account with this email exists: sign in as it, then accept the invitation.',
  });

export async function findUserIdByEmail(db: PaylinksDb | PaylinksTransaction, email: string) {
  const [row] = await db.select({ id: schema.user.id }).from(schema.user).where(eq(schema.user.email, email));
  return row?.id ?? null;
}

/**
 * Joins the workspace and uses the invitation up, in one transaction under the invitation's lock.
 * `account` says who joins: the signed-in owner of the invited email, or a new account whose
 * password better-auth has already hashed (kept out of the transaction: it takes ~200 ms).
 */
export async function acceptInvitation(
  db: PaylinksDb,
  input: {
    tokenHash: string;
    now: Date;
    account:
      | { kind: 'existing'; userId: string; sessionToken: string }
      | { kind: 'new'; name: string; passwordHash: string };
  },
): Promise<OpenInvitation & { userId: string }> {
  try {
    return await db.transaction(async (tx) => {
      const invitation = await openInvitation(tx, input.tokenHash, input.now, { lock: true });
      const userId = await joiningUser(tx, invitation.email, input);
      const joined = await tx
        .insert(schema.member)
        .values({
          organizationId: invitation.workspaceId,
          userId,
          role: invitation.role,
          createdAt: input.now,
        })
        .onConflictDoNothing()
        .returning({ id: schema.member.id });
      if (joined.length === 0) {
        throw new ProblemError(409, {
          code: 'already_member',
          field: 'token',
          message: 'You are already a member of this workspace.',
        });
      }
      await tx
        .update(schema.memberInvitations)
        .set({ acceptedAt: input.now, acceptedBy: userId })
        .where(eq(schema.memberInvitations.id, invitation.id));
      if (input.account.kind === 'existing') {
        // The session that accepted continues in the workspace it just joined.
        await tx
          .update(schema.session)
          .set({ activeOrganizationId: invitation.workspaceId })
          .where(eq(schema.session.token, input.account.sessionToken));
      }
      return { ...invitation, userId };
    });
  } catch (error) {
    // Another invitation to the same address made its account a moment ago.
    if (isUniqueViolation(error, 'user_email_unique')) throw signInRequired();
    throw error;
  }
}

async function joiningUser(
  tx: PaylinksTransaction,
  email: string,
  input: Parameters<typeof acceptInvitation>[1],
): Promise<string> {
  const { account } = input;
  switch (account.kind) {
    case 'existing':
      return account.userId;
    case 'new': {
      // An account made for this email since the link was opened: its owner must sign in.
      if (await findUserIdByEmail(tx, email)) throw signInRequired();
      // The rows better-auth's email sign-up writes (a user and its credential account), here so
      // they commit or roll back with the membership; its adapter cannot join our transaction.
      const userId = randomUUID();
      await tx.insert(schema.user).values({
        id: userId,
        name: account.name,
        email,
        emailVerified: false,
        createdAt: input.now,
        updatedAt: input.now,
      });
      await tx.insert(schema.account).values({
        accountId: userId,
        providerId: 'credential',
        userId,
        password: account.passwordHash,
        createdAt: input.now,
        updatedAt: input.now,
      });
      return userId;
    }
    default: {
      const unreachable: never = account;
      throw new Error(`unknown account kind ${JSON.stringify(unreachable)}`);
    }
  }
}
