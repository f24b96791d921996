import { type PaylinksDb, schema } from '@paylinks/db';
import { eq } from 'drizzle-orm';
import type { Logger } from '../logger.js';
import { invitationMail } from '../mail/invitation-mail.js';
import type { Mailer } from '../mail/mailer.js';

/**
 * Mails a committed invitation when a mail server is configured. Answers whether it went; a failure
 * is logged by invitation id and the error's class and SMTP codes only, since nodemailer's messages
 * can quote the recipient.
 */
export async function mailInvitation(
  deps: { db: PaylinksDb; logger: Logger; mailer: Mailer | undefined },
  input: {
    invitationId: string;
    workspaceId: string;
    inviterId: string;
    to: string;
    role: 'admin' | 'member';
    url: string;
    expiresAt: Date;
  },
): Promise<boolean> {
  if (!deps.mailer) return false;
  try {
    const [[workspace], [inviter]] = await Promise.all([
      deps.db
        .select({ name: schema.workspaces.name })
        .from(schema.workspaces)
        .where(eq(schema.workspaces.id, input.workspaceId)),
      deps.db.select({ name: schema.user.name }).from(schema.user).where(eq(schema.user.id, input.inviterId)),
    ]);
    await deps.mailer.send(
      invitationMail({
        to: input.to,
        url: input.url,
        role: input.role,
        expiresAt: input.expiresAt,
        workspaceName: workspace?.name ?? 'a workspace',
        inviterName: inviter?.name ?? 'A team member',
      }),
    );
    return true;
  } catch (error) {
    deps.logger.error('invitation mail not sent', {
      invitationId: input.invitationId,
      ...mailErrorFields(error),
    });
    return false;
  }
}

function mailErrorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: typeof error };
  const { code, responseCode, command } = error as {
    code?: unknown;
    responseCode?: unknown;
    command?: unknown;
  };
  return {
    error: error.name,
    ...(typeof code === 'string' ? { errorCode: code } : {}),
    ...(typeof responseCode === 'number' ? { smtpResponseCode: responseCode } : {}),
    ...(typeof command === 'string' ? { smtpCommand: command.split(' ', 1)[0] } : {}),
  };
}
