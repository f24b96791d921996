import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantReference, timestamptz, workspaceId } from './columns';
import { mailLanguageCheck } from './mail-languages';
import { paymentLinks } from './payment-links';
import { workspaces } from './workspaces';

export { type MailLanguage, mailLanguages } from './mail-languages';

/**
 * One mail about a payment link: the link itself sent by a team member, or the reminder before it
 * expires. The row is the queue entry and its current state at once; the mail job claims due rows
 * (`next_attempt_at`) with a lease, sends outside any transaction, and records the answer. The URL
 * (with the link's token) is rendered into the body at send time and never stored here.
 */
export const linkMails = pgTable(
  'link_mails',
  {
    id: id(),
    workspaceId: workspaceId(),
    linkId: uuid('link_id').notNull(),
    /** 'link' (sent by a team member) or 'reminder' (scheduled before expiry, one per link). */
    kind: text('kind').notNull(),
    /** scheduled (a reminder not due yet) → queued → sent | failed; or cancelled. */
    status: text('status').notNull(),
    /** A scheduled reminder has none yet: it takes the address the link was last mailed to when due. */
    recipient: text('recipient'),
    language: text('language'),
    personalMessage: text('personal_message'),
    /** A reminder's "N days before expiry". */
    remindDaysBefore: integer('remind_days_before'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamptz('next_attempt_at').notNull(),
    /** The claim of the job run sending it now; a crashed run's lease runs out and another takes it. */
    leaseUntil: timestamptz('lease_until'),
    /** The mail server's last answer to a failed attempt (e.g. "450 4.2.1 Mailbox busy"). */
    lastSmtpAnswer: text('last_smtp_answer'),
    /** Why it was not sent: 'link_paid', 'link_deleted', 'link_expired', 'no_recipient', 'replaced'. */
    cancelledReason: text('cancelled_reason'),
    sentAt: timestamptz('sent_at'),
    /** The team member who sent or scheduled it; null when the workspace default scheduled it. */
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete('cascade'),
    tenantReference('link_mails_link_id_fk', t, t.linkId, paymentLinks),
    unique('link_mails_workspace_id_id_unique').on(t.workspaceId, t.id),
    check('link_mails_kind_known', sql`${t.kind} in ('link', 'reminder')`),
    check(
      'link_mails_status_known',
      sql`${t.status} in ('scheduled', 'queued', 'sent', 'failed', 'cancelled')`,
    ),
    check('link_mails_language_known', mailLanguageCheck(t.language)),
    check('link_mails_remind_days_range', sql`${t.remindDaysBefore} between 1 and 365`),
    // A link has one reminder at most, so it is sent once whatever runs at the same time.
    uniqueIndex('link_mails_one_reminder_per_link')
      .on(t.workspaceId, t.linkId)
      .where(sql`${t.kind} = 'reminder'`),
    // What the job asks every run: the due ones, across workspaces.
    index('link_mails_due_idx').on(t.nextAttemptAt).where(sql`${t.status} in ('scheduled', 'queued')`),
    index('link_mails_link_idx').on(t.workspaceId, t.linkId, t.createdAt),
  ],
);

/**
 * A mail's history, append-only: queued, scheduled, each attempt's outcome (sent, retrying with the
 * SMTP answer, failed) and cancellation. Shown on the link and in the payment timeline.
 */
export const linkMailEvents = pgTable(
  'link_mail_events',
  {
    id: id(),
    workspaceId: workspaceId(),
    mailId: uuid('mail_id').notNull(),
    linkId: uuid('link_id').notNull(),
    event: text('event').notNull(),
    attempt: integer('attempt').notNull().default(0),
    smtpAnswer: text('smtp_answer'),
    detail: text('detail'),
    at: timestamptz('at').notNull(),
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete('cascade'),
    foreignKey({
      name: 'link_mail_events_mail_id_fk',
      columns: [t.workspaceId, t.mailId],
      foreignColumns: [linkMails.workspaceId, linkMails.id],
    }).onDelete('cascade'),
    check(
      'link_mail_events_event_known',
      sql`${t.event} in ('queued', 'scheduled', 'sent', 'retrying', 'failed', 'cancelled')`,
    ),
    index('link_mail_events_link_idx').on(t.workspaceId, t.linkId, t.at),
  ],
);
