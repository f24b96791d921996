import type { PaylinksExecutor } from '@paylinks/db';
import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { EventType } from './event-types.js';

/**
 * SQL that builds an event's stored `data` from the row a statement just wrote, so the event goes
 * into the outbox in that same statement (event-types.ts holds the shapes these must match).
 * `row` names a relation in the statement: a table alias or a CTE whose RETURNING has the columns.
 */

/** UTC with milliseconds, independent of the session's TimeZone (two instances print it alike). */
function time(column: SQL): SQL {
  return sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

function money(row: SQLWrapper): SQL {
  return sql`jsonb_build_object('minor', ${row}.amount_minor::text, 'currency', ${row}.currency)`;
}

export function paymentSnapshotSql(alias: string): SQL {
  const p = sql.identifier(alias);
  return sql`jsonb_build_object('id', ${p}.id, 'status', ${p}.status, 'amount', ${money(p)},
    'description', ${p}.description, 'linkId', ${p}.link_id, 'contactId', ${p}.contact_id,
    'dealId', ${p}.deal_id, 'methodId', ${p}.method_id, 'late', ${p}.is_late, 'duplicate', ${p}.is_duplicate,
    'createdAt', ${time(sql`${p}.created_at`)}, 'statusChangedAt', ${time(sql`${p}.status_changed_at`)})`;
}

export function linkSnapshotSql(alias: string): SQL {
  const l = sql.identifier(alias);
  return sql`jsonb_build_object('id', ${l}.id, 'origin', ${l}.origin, 'type', ${l}.type,
    'description', ${l}.description, 'amount', ${money(l)}, 'methodId', ${l}.method_id,
    'contactId', ${l}.contact_id, 'dealId', ${l}.deal_id, 'validityDays', ${l}.validity_days,
    'expiresAt', ${time(sql`${l}.expires_at`)}, 'createdAt', ${time(sql`${l}.created_at`)},
    'deletedAt', ${time(sql`${l}.deleted_at`)})`;
}

export function dealSnapshotSql(alias: string): SQL {
  const d = sql.identifier(alias);
  return sql`jsonb_build_object('id', ${d}.id, 'title', ${d}.title, 'contactId', ${d}.contact_id,
    'pipelineId', ${d}.pipeline_id, 'stageId', ${d}.stage_id,
    'amount', case when ${d}.amount_minor is null then null else ${money(d)} end,
    'createdAt', ${time(sql`${d}.created_at`)})`;
}

/** One row for the outbox: which workspace, what happened, its subjects and its `data`. */
export interface EventRowSql {
  type: EventType;
  workspaceId: SQL;
  paymentId: SQL;
  linkId: SQL;
  payload: SQL;
  /** The relation the row is selected from, and when it must be written. */
  from: SQL;
  where?: SQL;
}

// Any constant every instance agrees on ("plev"): the class of the per-workspace event write lock.
const EVENT_WRITE_LOCK = 0x70_6c_65_76;

/**
 * Taken before an event gets its sequence number and held until the transaction ends: one workspace's
 * events then commit in sequence order, so a reader paging `GET /api/events` by sequence can never
 * have passed an event that a slower transaction commits later. Locks are per workspace (hashed), so
 * tenants do not wait on each other; callers that write several workspaces' events take them in
 * workspace order.
 */
export function eventWriteLockSql(workspaceId: SQL): SQL {
  return sql`pg_advisory_xact_lock(${EVENT_WRITE_LOCK}, hashtext(${workspaceId}::text))`;
}

/**
 * A CTE `name` inserting the given events at `at`. Rows are inserted in list order, so within one
 * statement the sequence follows the order things happened (a status change before its flag).
 */
export function insertEventsSql(name: string, at: SQL, rows: EventRowSql[]): SQL {
  const selects = rows.map(
    (row, index) =>
      sql`select ${index}::int as ord, ${row.workspaceId}::uuid as workspace_id, ${row.type}::text as type,
        ${row.paymentId}::uuid as payment_id, ${row.linkId}::uuid as link_id, ${row.payload} as payload
      from ${row.from} ${row.where === undefined ? sql`` : sql`where ${row.where}`}`,
  );
  return sql`${sql.identifier(name)} as (
    insert into events (workspace_id, type, payment_id, link_id, payload, created_at)
    select workspace_id, type, payment_id, link_id, payload, ${at}
    from (${sql.join(selects, sql` union all `)}) as emitted
    cross join lateral (select ${eventWriteLockSql(sql`emitted.workspace_id`)}) as serialised
    order by ord
    returning id)`;
}

/** `payment.created` for a payment just inserted in this transaction outside a click-through. */
export async function writePaymentCreatedEvent(
  tx: PaylinksExecutor,
  payment: { workspaceId: string; id: string },
  at: Date,
): Promise<void> {
  await tx.execute(
    sql`with ${insertEventsSql('created_event', sql`${at.toISOString()}::timestamptz`, [
      {
        type: 'payment.created',
        workspaceId: sql`p.workspace_id`,
        paymentId: sql`p.id`,
        linkId: sql`p.link_id`,
        payload: sql`jsonb_build_object('payment', ${paymentSnapshotSql('p')})`,
        from: sql`payments p`,
        where: sql`p.workspace_id = ${payment.workspaceId}::uuid and p.id = ${payment.id}::uuid`,
      },
    ])}
    select 1`,
  );
}
