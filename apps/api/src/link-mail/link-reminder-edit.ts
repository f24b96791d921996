import { linkMailEvents, linkMails, type PaylinksTransaction } from '@paylinks/db';
import { and, eq, sql } from 'drizzle-orm';
import { ProblemError } from '../http/problem.js';
import { reminderForNewLink } from './link-reminders.js';

export interface ReminderEdit {
  workspaceId: string;
  linkId: string;
  userId: string;
  now: Date;
  /** What the edit asked: days before expiry, null to switch it off, undefined to leave it. */
  asked: number | null | undefined;
  /** The link as the edit leaves it. */
  validityDays: number | null;
  expiresAt: Date | null;
  validityChanged: boolean;
  hasSuccessfulPayment: boolean;
}

/** The reminder setting before and after, for the link's history; null when it did not change. */
export type ReminderChange = { from: number | null; to: number | null } | null;

const DAY_MS = 86_400_000;

/**
 * Keeps a link's one reminder in step with an edit, inside the edit's transaction (the link is
 * locked already; the reminder row is locked next, the order the mail job never reverses). A
 * reminder the job has claimed, or that is due or sent, is never moved or revived: the payer is
 * reminded once. A cancelled reminder is scheduled again rather than a second one made.
 */
export async function editReminder(tx: PaylinksTransaction, edit: ReminderEdit): Promise<ReminderChange> {
  if (edit.asked === undefined && !edit.validityChanged) return null;
  const scope = and(
    eq(linkMails.workspaceId, edit.workspaceId),
    eq(linkMails.linkId, edit.linkId),
    eq(linkMails.kind, 'reminder'),
  );
  const [row] = await tx.select().from(linkMails).where(scope).for('update');
  const scheduled = row?.status === 'scheduled' && (row.leaseUntil === null || row.leaseUntil <= edit.now);
  const current = row && row.status !== 'cancelled' ? row.remindDaysBefore : null;
  const dueAt = (days: number) =>
    sql`${edit.expiresAt?.toISOString() ?? null}::timestamptz - make_interval(days => ${days}::int)`;
  const cancel = async (reason: string) => {
    await tx.update(linkMails).set({ status: 'cancelled', cancelledReason: reason }).where(scope);
    await addEvent(tx, edit, row!.id, 'cancelled', reason);
  };

  if (edit.asked === undefined) {
    // Only the validity changed: a reminder still to come moves with it or goes with the expiry.
    if (!row || !scheduled) return null;
    if (edit.expiresAt === null) {
      await cancel('link_unlimited');
      return null;
    }
    if (row.remindDaysBefore! >= edit.validityDays!) {
      throw new ProblemError(422, {
        code: 'reminder_too_late',
        field: 'validityDays',
        message: `This link reminds the payer ${row.remindDaysBefore} days before it expires: give it more days than that, or change remindDaysBefore with it.`,
      });
    }
    await tx
      .update(linkMails)
      .set({ nextAttemptAt: dueAt(row.remindDaysBefore!) })
      .where(scope);
    return null;
  }

  if (row && current !== null && !scheduled) {
    if (edit.asked === current) return null;
    throw new ProblemError(409, {
      code: 'reminder_already_sent',
      field: 'remindDaysBefore',
      message: "This link's reminder is already due or sent; a payer is reminded once.",
    });
  }

  if (edit.asked === null) {
    if (current === null) return null;
    await cancel('switched_off');
    return { from: current, to: null };
  }

  const days = reminderForNewLink(edit.asked, null, edit.validityDays);
  if (days === null) return null;
  if (edit.hasSuccessfulPayment) {
    throw new ProblemError(422, {
      code: 'reminder_link_paid',
      field: 'remindDaysBefore',
      message: 'This link has been paid; there is nothing to remind the payer of.',
    });
  }
  if (edit.expiresAt!.getTime() - days * DAY_MS <= edit.now.getTime()) {
    throw new ProblemError(422, {
      code: 'reminder_passed',
      field: 'remindDaysBefore',
      message: `The link expires sooner than ${days} days from now; choose fewer days.`,
    });
  }
  if (!row) {
    const [mail] = await tx
      .insert(linkMails)
      .values({
        workspaceId: edit.workspaceId,
        linkId: edit.linkId,
        kind: 'reminder',
        status: 'scheduled',
        remindDaysBefore: days,
        nextAttemptAt: dueAt(days),
        createdBy: edit.userId,
        createdAt: edit.now,
      })
      .returning({ id: linkMails.id });
    await addEvent(tx, edit, mail!.id, 'scheduled', null);
    return { from: null, to: days };
  }
  await tx
    .update(linkMails)
    .set({
      status: 'scheduled',
      remindDaysBefore: days,
      nextAttemptAt: dueAt(days),
      cancelledReason: null,
      attempts: 0,
      createdBy: edit.userId,
    })
    .where(scope);
  if (row.status === 'cancelled') await addEvent(tx, edit, row.id, 'scheduled', null);
  return current === days ? null : { from: current, to: days };
}

async function addEvent(
  tx: PaylinksTransaction,
  edit: ReminderEdit,
  mailId: string,
  event: 'scheduled' | 'cancelled',
  detail: string | null,
) {
  await tx
    .insert(linkMailEvents)
    .values({ workspaceId: edit.workspaceId, mailId, linkId: edit.linkId, event, detail, at: edit.now });
}
