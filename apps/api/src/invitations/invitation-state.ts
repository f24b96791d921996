import { ProblemError } from '../http/problem.js';

export type InvitationState = 'pending' | 'accepted' | 'revoked' | 'expired';

export function invitationState(
  row: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date },
  now: Date,
): InvitationState {
  if (row.acceptedAt) return 'accepted';
  if (row.revokedAt) return 'revoked';
  return row.expiresAt.getTime() <= now.getTime() ? 'expired' : 'pending';
}

export const invitationNotFound = () =>
  new ProblemError(404, {
    code: 'invitation_not_found',
    field: 'token',
    message: 'This invitation link is not valid. Ask for a new one.',
  });

/** The 410 a link that no longer opens answers with, or nothing for a pending one. */
export function closedInvitationProblem(state: InvitationState): ProblemError | null {
  switch (state) {
    case 'pending':
      return null;
    case 'accepted':
      return new ProblemError(410, {
        code: 'invitation_used',
        field: 'token',
        message: 'This invitation has already been accepted; an invitation link works once.',
      });
    case 'revoked':
      return new ProblemError(410, {
        code: 'invitation_revoked',
        field: 'token',
        message: 'This invitation was withdrawn. Ask for a new one.',
      });
    case 'expired':
      return new ProblemError(410, {
        code: 'invitation_expired',
        field: 'token',
        message: 'This invitation has expired (invitations last 7 days). Ask for a new one.',
      });
    default: {
      const unreachable: never = state;
      throw new Error(`unknown invitation state ${unreachable}`);
    }
  }
}
