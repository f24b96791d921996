import {
  isExpired,
  isSuccessful,
  type PaymentStatus,
  paymentStatuses,
  shouldRemoveLinkAfterPayment,
} from '@paylinks/core';
import { type PaylinksTransaction, selectRows } from '@paylinks/db';
import { type SQL, sql } from 'drizzle-orm';
import {
  dealSnapshotSql,
  type EventRowSql,
  insertEventsSql,
  paymentSnapshotSql,
} from '../events/event-snapshots.js';
import { touchedAtSql } from '../sync/updated-at.js';
import { type EventOrigin, eventPayload, nextSeq } from './payment-event-log.js';
import type { LockedLink, LockedPayment } from './payment-lock.js';
import type { SideEffects } from './payment-side-effects.js';

const successful = paymentStatuses.filter(isSuccessful);
const inList = (statuses: readonly string[]) =>
  sql.join(
    statuses.map((s) => sql`${s}`),
    sql`, `,
  );

export interface TransitionWrite {
  payment: LockedPayment;
  link: LockedLink;
  from: PaymentStatus;
  to: PaymentStatus;
  origin: EventOrigin;
  now: Date;
  /** The pending audit row this change settles. */
  settles: string | undefined;
  /** The provider's reference (and our idempotency key), kept when the payment has none yet. */
  checkoutReference: CheckoutReference | undefined;
}

export interface CheckoutReference {
  providerReference: string;
  idempotencyKey?: string;
  /** What the payer typed at checkout, kept for the team in the same statement (never logged). */
  payer?: { email: string; phone: string | null };
}

export interface TransitionWritten {
  eventId: string;
  effects: SideEffects;
  /** The deal a contact link's payment got with this success, if it got one. */
  newDealId: string | null;
  /** Early events in the payment's log that may now apply. */
  hasPendingEvents: boolean;
}

/** The payer's latest details: a payer who retries in the same checkout may correct them. */
export function payerColumns(payer: CheckoutReference['payer']): SQL {
  return payer ? sql`, payer_email = ${payer.email}::text, payer_phone = ${payer.phone}::text` : sql``;
}

/**
 * One status change and everything it does, in one statement inside the caller's transaction,
 * which holds the link's and the payment's locks (payment-lock.ts) and started this statement after
 * taking them, so every read here sees what the previous holder committed:
 * the status; a paid deal link leaves the deal; a success on a link that no longer takes payment is
 * flagged late, on a deal link another payment already paid duplicate (never dropped); a contact
 * link's payment gets its deal when it is paid (the default pipeline's first stage); the deal
 * follows its pipeline's automation once, unless the payment is a double charge or its refund; and
 * the audit row, whose effects are what the other parts of the statement did; and the outbox events
 * of all that (the status change, a deal created, a flag newly set), in the order they happened.
 */
export async function writeTransition(
  tx: PaylinksTransaction,
  write: TransitionWrite,
): Promise<TransitionWritten> {
  const { payment, link, to, now } = write;
  const ws = sql`${payment.workspaceId}::uuid`;
  const paymentId = sql`${payment.id}::uuid`;
  const at = sql`${now.toISOString()}::timestamptz`;
  const succeeded = isSuccessful(to);
  const removesLink = link.removedFromDealAt === null && shouldRemoveLinkAfterPayment(link.origin, to);
  const late = succeeded && (link.deletedAt !== null || isExpired(link.expiresAt, now));
  const checksDuplicate = succeeded && link.origin === 'deal';
  const needsDeal = succeeded && payment.dealId === null && link.origin === 'contact';
  // A double charge says nothing new about the deal, and neither does its refund.
  const movesDeal = payment.dealId !== null && !payment.isDuplicate;
  const confirmation =
    to === 'confirmed_by_team_member'
      ? sql`, confirmed_by = ${write.origin.actor ?? null}::text, confirmed_at = ${at},
          confirmation_note = ${write.origin.note ?? null}::text,
          confirmation_reference = ${write.origin.reference ?? null}::text`
      : sql``;
  const reference = write.checkoutReference
    ? sql`, provider_reference = coalesce(provider_reference, ${write.checkoutReference.providerReference}::text),
        idempotency_key = case when provider_reference is null
          then coalesce(${write.checkoutReference.idempotencyKey ?? null}::text, idempotency_key)
          else idempotency_key end
        ${payerColumns(write.checkoutReference.payer)}`
    : sql``;

  const ctes: SQL[] = [
    sql`duplicate as (select ${checksDuplicate} and exists (
        select 1 from payments o where o.workspace_id = ${ws} and o.link_id = ${link.id}::uuid
          and o.id <> ${paymentId} and o.status in (${inList(successful)})) as v)`,
  ];
  if (needsDeal) {
    ctes.push(sql`first_stage as (
        select p.id as pipeline_id, s.id as stage_id,
          (select a.target_stage_id from stage_automations a
            where a.workspace_id = ${ws} and a.pipeline_id = p.id and a.status = ${to}) as target_stage_id
        from pipelines p join pipeline_stages s on s.workspace_id = p.workspace_id and s.pipeline_id = p.id
        where p.workspace_id = ${ws} and p.is_default
        order by s.position limit 1)`);
    ctes.push(sql`new_deal as (
        insert into deals (workspace_id, title, contact_id, pipeline_id, stage_id, amount_minor, currency,
          created_at, updated_at)
        select ${ws}, ${payment.description}, ${payment.contactId}::uuid, pipeline_id,
          coalesce(target_stage_id, stage_id), ${String(payment.amountMinor)}::bigint, ${payment.currency},
          ${at}, ${at}
        from first_stage
        returning *, case when stage_id <> (select stage_id from first_stage) then stage_id end as moved_to)`);
  }
  ctes.push(sql`changed as (
      update payments set status = ${to}, updated_at = ${touchedAtSql('updated_at', now)}, status_changed_at = ${at},
        is_late = is_late or ${late}, is_duplicate = is_duplicate or (select v from duplicate)
        ${needsDeal ? sql`, deal_id = coalesce(deal_id, (select id from new_deal))` : sql``}
        ${confirmation} ${reference}
      where workspace_id = ${ws} and id = ${paymentId}
      returning *)`);
  if (removesLink) {
    ctes.push(sql`removed as (
        update payment_links set removed_from_deal_at = ${at}, updated_at = ${touchedAtSql('updated_at', now)}
        where workspace_id = ${ws} and id = ${link.id}::uuid and removed_from_deal_at is null
        returning id)`);
  }
  if (movesDeal) {
    ctes.push(sql`moved as (
        update deals d set stage_id = a.target_stage_id, updated_at = ${touchedAtSql('d.updated_at', now)}
        from stage_automations a
        where d.workspace_id = ${ws} and d.id = ${payment.dealId}::uuid and not (select v from duplicate)
          and a.workspace_id = d.workspace_id and a.pipeline_id = d.pipeline_id and a.status = ${to}
          and a.target_stage_id <> d.stage_id
        returning a.target_stage_id as moved_to)`);
  }
  const linkRemoved = removesLink ? sql`exists (select 1 from removed)` : sql`false`;
  const movedTo = [
    ...(movesDeal ? [sql`(select moved_to from moved)`] : []),
    ...(needsDeal ? [sql`(select moved_to from new_deal)`] : []),
  ];
  const movedToStage = movedTo.length === 0 ? sql`null::uuid` : sql`coalesce(${sql.join(movedTo, sql`, `)})`;
  const payload = eventPayload({
    origin: write.origin,
    payload: { outcome: 'applied', ...(write.settles === undefined ? {} : { settles: write.settles }) },
  });
  ctes.push(sql`audit as (
      insert into payment_events (workspace_id, payment_id, from_status, to_status, source, actor,
        provider_event_id, payload, created_at)
      select ${ws}, ${paymentId}, ${write.from}, ${to}, ${write.origin.source}, ${write.origin.actor ?? null}::text,
        ${write.origin.providerEventId ?? null}::text,
        ${JSON.stringify(payload)}::jsonb || jsonb_build_object('seq', ${nextSeq(payment.workspaceId, payment.id)},
          'effects', jsonb_strip_nulls(jsonb_build_object(
            'linkRemovedFromDeal', case when ${linkRemoved} then true end,
            'dealMovedToStageId', ${movedToStage},
            'late', case when ${late} then true end,
            'duplicate', case when (select v from duplicate) then true end))),
        ${at}
      from changed
      returning id)`);

  ctes.push(
    insertEventsSql(
      'emitted',
      at,
      transitionEvents(write, { needsDeal, flagsLate: late && !payment.isLate, checksDuplicate }),
    ),
  );

  const [row] = await selectRows<{
    event_id: string;
    duplicate: boolean;
    link_removed: boolean;
    moved_to: string | null;
    new_deal_id: string | null;
    pending: boolean;
    checkouts_to_close: boolean;
  }>(
    tx,
    sql`with ${sql.join(ctes, sql`, `)}
      select (select id::text from audit) as event_id, (select v from duplicate) as duplicate,
        ${linkRemoved} as link_removed, ${movedToStage}::text as moved_to,
        ${needsDeal ? sql`(select id::text from new_deal)` : sql`null::text`} as new_deal_id,
        exists (
          select 1 from payment_events e
          where e.workspace_id = ${ws} and e.payment_id = ${paymentId} and e.payload->>'outcome' = 'pending'
            and not exists (select 1 from payment_events s where s.workspace_id = e.workspace_id
              and s.payment_id = e.payment_id and s.payload->>'settles' = e.id::text)) as pending,
        ${linkRemoved} and exists (
          select 1 from payments o where o.workspace_id = ${ws} and o.link_id = ${link.id}::uuid
            and o.id <> ${paymentId} and o.status in ('processing', 'cancelled')
            and o.provider_reference is not null and o.checkout_closed_at is null) as checkouts_to_close`,
  );
  if (!row?.event_id) throw new Error(`payment ${payment.id} vanished while its status changed`);
  return {
    eventId: row.event_id,
    effects: {
      linkRemovedFromDeal: row.link_removed,
      dealMovedToStageId: row.moved_to,
      late,
      duplicate: row.duplicate,
      checkoutsToClose: row.checkouts_to_close,
    },
    newDealId: row.new_deal_id,
    hasPendingEvents: row.pending,
  };
}

/** The outbox rows of one transition, selected from the CTEs above (`changed`, `new_deal`, `duplicate`). */
function transitionEvents(
  write: TransitionWrite,
  facts: { needsDeal: boolean; flagsLate: boolean; checksDuplicate: boolean },
): EventRowSql[] {
  const subject = {
    workspaceId: sql`changed.workspace_id`,
    paymentId: sql`changed.id`,
    linkId: sql`changed.link_id`,
    from: sql`changed`,
  };
  const payment = paymentSnapshotSql('changed');
  const rows: EventRowSql[] = [
    {
      ...subject,
      type: 'payment.status_changed',
      payload: sql`jsonb_build_object('payment', ${payment}, 'from', ${write.from}::text, 'to', ${write.to}::text)`,
    },
  ];
  if (facts.needsDeal) {
    rows.push({
      ...subject,
      type: 'deal.created',
      payload: sql`jsonb_build_object('deal', ${dealSnapshotSql('new_deal')}, 'paymentId', changed.id,
        'linkId', changed.link_id)`,
      from: sql`changed, new_deal`,
    });
  }
  if (facts.flagsLate) {
    rows.push({
      ...subject,
      type: 'payment.flagged',
      payload: sql`jsonb_build_object('payment', ${payment}, 'flag', 'late')`,
    });
  }
  // Flagged once: a payment already marked a duplicate is not announced again.
  if (facts.checksDuplicate && !write.payment.isDuplicate) {
    rows.push({
      ...subject,
      type: 'payment.flagged',
      payload: sql`jsonb_build_object('payment', ${payment}, 'flag', 'duplicate')`,
      where: sql`(select v from duplicate)`,
    });
  }
  return rows;
}
