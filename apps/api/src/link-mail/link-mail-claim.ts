import { linkMailEvents, linkMails, type PaylinksDb, type PaylinksExecutor } from '@paylinks/db';
import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';

/** How long a run owns the mails it claimed: far longer than nodemailer's timeouts for one message. */
export const mailLeaseMs = 2 * 60_000;

/** Attempts before a mail the server keeps deferring (4xx, or unreachable) is given up as failed. */
export const maxMailAttempts = 4;

/** Wait before attempt n+1: 1, 5 and 25 minutes. */
export const retryDelayMs = (attempts: number) => 60_000 * 5 ** (attempts - 1);

export type ClaimedMail = typeof linkMails.$inferSelect;

/**
 * Claims up to `limit` due mails (queued ones and reminders whose time has come) in one statement
 * committed on its own: SKIP LOCKED passes over rows another instance is claiming, and the lease
 * keeps them away until this run has recorded the answer or died. The attempt is counted here, so a
 * run that dies mid-send still uses one up.
 */
export async function claimDueMails(
  db: PaylinksExecutor,
  input: { now: Date; limit: number },
): Promise<{ mails: ClaimedMail[]; leaseUntil: Date }> {
  const leaseUntil = new Date(input.now.getTime() + mailLeaseMs);
  const due = db
    .select({ id: linkMails.id })
    .from(linkMails)
    .where(
      and(
        inArray(linkMails.status, ['scheduled', 'queued']),
        lte(linkMails.nextAttemptAt, input.now),
        or(isNull(linkMails.leaseUntil), lte(linkMails.leaseUntil, input.now)),
      ),
    )
    .orderBy(asc(linkMails.nextAttemptAt))
    .limit(input.limit)
    .for('update', { skipLocked: true });
  const mails = await db
    .update(linkMails)
    .set({ leaseUntil, attempts: sql`${linkMails.attempts} + 1` })
    .where(inArray(linkMails.id, due))
    .returning();
  return { mails, leaseUntil };
}

export type MailOutcome =
  | { kind: 'sent'; recipient: string; language: string }
  | { kind: 'retrying'; smtpAnswer: string; nextAttemptAt: Date; recipient: string; language: string }
  | { kind: 'failed'; smtpAnswer: string; recipient: string; language: string }
  | { kind: 'cancelled'; reason: string };

/**
 * Records what became of a claimed mail and its history row, in one transaction, and only while this
 * run still holds the lease (a run that outlived it leaves the row to whoever took it over).
 * Answers whether it recorded.
 */
export async function recordOutcome(
  db: PaylinksDb,
  mail: ClaimedMail,
  leaseUntil: Date,
  outcome: MailOutcome,
  now: Date,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const changes = (() => {
      switch (outcome.kind) {
        case 'sent':
          return {
            status: 'sent',
            sentAt: now,
            recipient: outcome.recipient,
            language: outcome.language,
            lastSmtpAnswer: null,
          };
        case 'retrying':
          return {
            status: 'queued',
            nextAttemptAt: outcome.nextAttemptAt,
            recipient: outcome.recipient,
            language: outcome.language,
            lastSmtpAnswer: outcome.smtpAnswer,
          };
        case 'failed':
          return {
            status: 'failed',
            recipient: outcome.recipient,
            language: outcome.language,
            lastSmtpAnswer: outcome.smtpAnswer,
          };
        case 'cancelled':
          return { status: 'cancelled', cancelledReason: outcome.reason };
        default: {
          const unhandled: never = outcome;
          throw new Error(`Unhandled mail outcome ${JSON.stringify(unhandled)}`);
        }
      }
    })();
    const updated = await tx
      .update(linkMails)
      .set({ ...changes, leaseUntil: null })
      .where(
        and(
          eq(linkMails.workspaceId, mail.workspaceId),
          eq(linkMails.id, mail.id),
          eq(linkMails.leaseUntil, leaseUntil),
        ),
      )
      .returning({ id: linkMails.id });
    if (updated.length === 0) return false;
    await tx.insert(linkMailEvents).values({
      workspaceId: mail.workspaceId,
      mailId: mail.id,
      linkId: mail.linkId,
      event: outcome.kind,
      attempt: mail.attempts,
      smtpAnswer: 'smtpAnswer' in outcome ? outcome.smtpAnswer : null,
      detail: outcome.kind === 'cancelled' ? outcome.reason : null,
      at: now,
    });
    return true;
  });
}
