import { type PaylinksExecutor, selectRows } from '@paylinks/db';
import { type SQL, sql } from 'drizzle-orm';
import { insertEventsSql, paymentSnapshotSql } from '../events/event-snapshots.js';
import type { PublicLink } from './public-link.js';
import type { PublicPayment } from './public-payment.js';

export interface ClickThrough {
  now: Date;
  visitorKey: string;
  userAgent: string | null;
}

/**
 * Three CTEs, `created`, `created_audit` and `created_event`: a new payment in Processing, its
 * creation audit row and its `payment.created` event, inserted only when `when` holds. Creating a
 * payment is not a status change, so this is the one insert outside applyPaymentEvent. In one
 * statement neither the audit row nor the event can be missing.
 * Amount, currency and description are read from the link row under a share lock, not from the
 * page's earlier read: an edit holds the link's update lock, so the payment waits for it and then
 * records what the link charges now (edit-payment-link.ts refuses the amount once a payment exists).
 * The payment starts with the link's metadata, read from the same row.
 */
export function insertClickThroughSql(link: PublicLink, click: ClickThrough, when: SQL): SQL {
  const at = sql`${click.now.toISOString()}::timestamptz`;
  // A contact link's payment gets its own deal when it is paid.
  const dealId = link.origin === 'deal' ? link.dealId : null;
  return sql`created as (
      insert into payments (workspace_id, link_id, contact_id, deal_id, method_id, status, amount_minor,
        currency, description, clicked_at, click_visitor_key, click_user_agent, created_at, updated_at,
        status_changed_at, metadata)
      select l.workspace_id, l.id, l.contact_id, ${dealId}::uuid, l.method_id, 'processing',
        l.amount_minor, l.currency, l.description, ${at}, ${click.visitorKey}, ${click.userAgent}::text,
        ${at}, ${at}, ${at}, l.metadata
      from payment_links l
      where l.workspace_id = ${link.workspaceId}::uuid and l.id = ${link.id}::uuid and ${when}
      for key share of l
      returning id, workspace_id, contact_id, deal_id, status, amount_minor, currency, description,
        provider_reference, declined_attempts, link_id, method_id, is_late, is_duplicate, created_at,
        status_changed_at
    ),
    created_audit as (
      insert into payment_events (workspace_id, payment_id, from_status, to_status, source, payload, created_at)
      select workspace_id, id, null, 'processing', 'click_through', '{"outcome":"created","seq":0}'::jsonb, ${at}
      from created
    ),
    ${insertEventsSql('created_event', at, [
      {
        type: 'payment.created',
        workspaceId: sql`created.workspace_id`,
        paymentId: sql`created.id`,
        linkId: sql`created.link_id`,
        payload: sql`jsonb_build_object('payment', ${paymentSnapshotSql('created')})`,
        from: sql`created`,
      },
    ])}`;
}

/** Records a click-through payment unconditionally (checkout, for a visit beyond the cap). */
export async function insertClickThroughPayment(
  db: PaylinksExecutor,
  link: PublicLink,
  click: ClickThrough,
): Promise<PublicPayment> {
  const [row] = await selectRows<{
    id: string;
    workspace_id: string;
    contact_id: string;
    deal_id: string | null;
    status: PublicPayment['status'];
    amount_minor: string;
    currency: string;
    description: string;
    provider_reference: string | null;
    declined_attempts: number;
  }>(
    db,
    sql`with ${insertClickThroughSql(link, click, sql`true`)}
        select id::text, workspace_id::text, contact_id::text, deal_id::text, status::text,
          amount_minor::text, currency::text, description, provider_reference, declined_attempts::int
        from created`,
  );
  if (!row) throw new Error(`no payment recorded for link ${link.id}`);
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    contactId: row.contact_id,
    dealId: row.deal_id,
    status: row.status,
    amountMinor: BigInt(row.amount_minor),
    currency: row.currency,
    description: row.description,
    providerReference: row.provider_reference,
    declinedAttempts: Number(row.declined_attempts),
  };
}
