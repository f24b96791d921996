import type { MailMessage } from './mailer.js';

export interface InvitationMailInput {
  to: string;
  url: string;
  inviterName: string;
  workspaceName: string;
  role: 'admin' | 'member';
  expiresAt: Date;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// UTC, to the minute: the reader may be anywhere, and the link stops at that instant.
const formatExpiry = (at: Date) => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The invitation in plain text and HTML: who invites, to which workspace, the link and until when. */
export function invitationMail(input: InvitationMailInput): MailMessage {
  const expiry = formatExpiry(input.expiresAt);
  const role = input.role === 'admin' ? 'an admin' : 'a member';
  const subject = `${input.inviterName} invited you to ${input.workspaceName} on Paylinks`;
  const text = [
    `${input.inviterName} invited you to join ${input.workspaceName} on Paylinks as ${role}.`,
    '',
    'Open this link to accept:',
    input.url,
    '',
    `The link works once and expires on ${expiry}.`,
    'If you did not expect this invitation, ignore this email.',
  ].join('\n');
  const html = [
    `<p>${escapeHtml(input.inviterName)} invited you to join <strong>${escapeHtml(input.workspaceName)}</strong> on Paylinks as ${role}.</p>`,
    `<p><a href="${escapeHtml(input.url)}">Accept the invitation</a></p>`,
    `<p>Or copy this link: ${escapeHtml(input.url)}</p>`,
    `<p>The link works once and expires on ${expiry}.<br>If you did not expect this invitation, ignore this email.</p>`,
  ].join('\n');
  return { to: input.to, subject, text, html };
}
