import { z } from '@hono/zod-openapi';

export const invitableRoles = ['admin', 'member'] as const;
export type InvitableRole = (typeof invitableRoles)[number];

export const inviteBody = z
  .object({
    email: z.email().max(254),
    role: z.enum(invitableRoles).openapi({ description: 'Admins may invite members only.' }),
  })
  .openapi('Invite');

export const pendingInvitationSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: z.enum(invitableRoles),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
  })
  .openapi('PendingInvitation');

export const createdInvitationSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: z.enum(invitableRoles),
    expiresAt: z.iso.datetime(),
    url: z.url().openapi({
      description: 'The one-time invitation link: shown only in this answer, stored only as a hash.',
    }),
    mailed: z.boolean().openapi({
      description: 'Whether the link was also mailed (SMTP_URL configured and the mail server took it).',
    }),
  })
  .openapi('CreatedInvitation');

export const tokenParam = z.object({
  token: z.string().min(1).max(200).openapi({ description: 'The token at the end of the invitation link.' }),
});

export const invitationViewSchema = z
  .object({
    workspace: z.object({ name: z.string() }),
    role: z.enum(invitableRoles),
    email: z.string(),
    expiresAt: z.iso.datetime(),
    next: z.enum(['set_password', 'sign_in']).openapi({
      description:
        'set_password: no account yet, accept with name and password. sign_in: sign in as this email, then accept.',
    }),
  })
  .openapi('InvitationView');

export const acceptBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    password: z.string().min(12).max(128).optional(),
  })
  .openapi('AcceptInvitation', {
    description:
      'For a new account, name and password; with an existing account, an empty body and its session.',
  });

export const acceptedSchema = z
  .object({
    user: z.object({ id: z.uuid(), name: z.string(), email: z.string() }),
    workspace: z.object({ id: z.uuid(), name: z.string() }),
    role: z.enum(invitableRoles),
  })
  .openapi('AcceptedInvitation');
