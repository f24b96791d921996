import { createHash, randomBytes } from 'node:crypto';

/** 256 bits from the CSPRNG, base64url: the secret part of an invitation link. */
export function newInvitationToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Only this is stored: a database reader cannot turn it back into a working link. */
export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export const invitationLink = (publicUrl: string, token: string) => `${publicUrl}/invite/${token}`;

/** An invitation opens for seven days. */
export const invitationLifetimeMs = 7 * 24 * 60 * 60 * 1000;
