import type { PaylinksExecutor } from '@paylinks/db';
import { type SQL, sql } from 'drizzle-orm';
import { ProblemError } from '../http/problem.js';

/**
 * CTEs that schedule a reminder for the link a statement is inserting (`link`: the CTE holding its
 * inserted row) and write the reminder's "scheduled" history row: creating a link stays one statement.
 * A link without an expiry gets none.
 */
export function scheduleReminderCtes(
  link: string,
  reminder: { daysBefore: number; createdBy: string | null; now: Date },
): SQL {
  const days = sql`${reminder.daysBefore}::int`;
  const from = sql.identifier(link);
  return sql`reminder as (
      insert into link_mails (workspace_id, link_id, kind, status, remind_days_before, next_attempt_at, created_by)
      select workspace_id, id, 'reminder', 'scheduled', ${days}, expires_at - make_interval(days => ${days}),
        ${reminder.createdBy}
      from ${from} where expires_at is not null
      returning id, workspace_id, link_id
    ),
    reminder_scheduled as (
      insert into link_mail_events (workspace_id, mail_id, link_id, event, at)
      select workspace_id, id, link_id, 'scheduled', ${reminder.now.toISOString()}::timestamptz from reminder
    )`;
}

/**
 * Keeps scheduled reminders in step with their links, in one statement: a reminder whose link was
 * paid, deleted, made unlimited or has expired is cancelled (with a history row saying why), and one
 * whose link's expiry was edited moves with it. Reminders a run holds right now are left to it.
 */
export async function sweepReminders(db: PaylinksExecutor, now: Date): Promise<void> {
  const at = sql`${now.toISOString()}::timestamptz`;
  await db.execute(sql`with target as (
      select m.id,
        case
          when l.deleted_at is not null then 'link_deleted'
          when exists (select 1 from payments p where p.workspace_id = l.workspace_id and p.link_id = l.id
            and p.status in ('complete', 'confirmed_by_team_member')) then 'link_paid'
          when l.expires_at is null then 'link_unlimited'
          when l.expires_at <= ${at} then 'link_expired'
        end as reason,
        l.expires_at - make_interval(days => m.remind_days_before) as due
      from link_mails m
      join payment_links l on l.workspace_id = m.workspace_id and l.id = m.link_id
      where m.status = 'scheduled' and m.kind = 'reminder' and (m.lease_until is null or m.lease_until <= ${at})
      for update of m skip locked
    ),
    changed as (
      update link_mails m
      set status = case when t.reason is null then m.status else 'cancelled' end,
        cancelled_reason = t.reason,
        next_attempt_at = coalesce(t.due, m.next_attempt_at)
      from target t
      where m.id = t.id and (t.reason is not null or t.due <> m.next_attempt_at)
      returning m.id, m.workspace_id, m.link_id, m.status, m.cancelled_reason
    )
    insert into link_mail_events (workspace_id, mail_id, link_id, event, detail, at)
    select workspace_id, id, link_id, 'cancelled', cancelled_reason, ${at} from changed where status = 'cancelled'`);
}

/**
 * The reminder a new link gets: the one asked for (null: none), else the workspace's default where
 * it fits the link. An explicit reminder must fall after the link's creation and before its expiry.
 */
export function reminderForNewLink(
  asked: number | null | undefined,
  workspaceDefault: number | null,
  validityDays: number | null,
): number | null {
  if (asked === undefined) {
    return workspaceDefault !== null && validityDays !== null && workspaceDefault < validityDays
      ? workspaceDefault
      : null;
  }
  if (asked === null) return null;
  if (validityDays === null) {
    throw new ProblemError(422, {
      code: 'reminder_needs_expiry',
      field: 'remindDaysBefore',
      message:
        'A link without an expiry has nothing to remind of; set validityDays or leave the reminder out.',
    });
  }
  if (asked >= validityDays) {
    throw new ProblemError(422, {
      code: 'reminder_too_late',
      field: 'remindDaysBefore',
      message: `The reminder must come before the link expires: fewer than ${validityDays} days before.`,
    });
  }
  return asked;
}
