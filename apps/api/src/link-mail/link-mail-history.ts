import type { z } from '@hono/zod-openapi';
import { linkMailEvents, linkMails, type PaylinksExecutor } from '@paylinks/db';
import { and, asc, desc, eq } from 'drizzle-orm';
import type { linkMailSchema } from './link-mail-schemas.js';

type LinkMail = z.infer<typeof linkMailSchema>;

/** Every mail of a link, newest first, each with its history (two statements, however many mails). */
export async function linkMailHistory(
  db: PaylinksExecutor,
  workspaceId: string,
  linkId: string,
): Promise<LinkMail[]> {
  const scope = and(eq(linkMails.workspaceId, workspaceId), eq(linkMails.linkId, linkId));
  const [mails, events] = await Promise.all([
    db.select().from(linkMails).where(scope).orderBy(desc(linkMails.createdAt), desc(linkMails.id)),
    db
      .select()
      .from(linkMailEvents)
      .where(and(eq(linkMailEvents.workspaceId, workspaceId), eq(linkMailEvents.linkId, linkId)))
      .orderBy(asc(linkMailEvents.at), asc(linkMailEvents.attempt)),
  ]);
  return mails.map((mail) => ({
    id: mail.id,
    linkId: mail.linkId,
    kind: mail.kind as LinkMail['kind'],
    status: mail.status as LinkMail['status'],
    recipient: mail.recipient,
    language: mail.language as LinkMail['language'],
    personalMessage: mail.personalMessage,
    remindDaysBefore: mail.remindDaysBefore,
    attempts: mail.attempts,
    nextAttemptAt:
      mail.status === 'queued' || mail.status === 'scheduled' ? mail.nextAttemptAt.toISOString() : null,
    lastSmtpAnswer: mail.lastSmtpAnswer,
    sentAt: mail.sentAt?.toISOString() ?? null,
    createdAt: mail.createdAt.toISOString(),
    events: events
      .filter((event) => event.mailId === mail.id)
      .map((event) => ({
        event: event.event as LinkMail['events'][number]['event'],
        attempt: event.attempt,
        smtpAnswer: event.smtpAnswer,
        detail: event.detail,
        at: event.at.toISOString(),
      })),
  }));
}
