import type { PaymentStatus } from '@paylinks/core';
import { type PaylinksTransaction, type paymentEventSource, paymentEvents, selectRows } from '@paylinks/db';
import { type SQL, sql } from 'drizzle-orm';

export type PaymentEventSource = (typeof paymentEventSource.enumValues)[number];

/** What an audit row records beyond its columns. Stored in payment_events.payload. */
export interface PaymentEventPayload {
  /** refund: money given back (in part or in full), recorded beside the status it leaves as it is. */
  outcome: 'created' | 'applied' | 'refused' | 'stale' | 'pending' | 'duplicate' | 'refund';
  /** The status the event reported, for rows that did not change the payment. */
  received?: PaymentStatus;
  /** Insertion order within the payment: several rows share one transaction's timestamp. */
  seq: number;
  /** The pending row this one settles; a pending row without a settler is still waiting. */
  settles?: string;
  note?: string;
  reference?: string;
  error?: string;
  effects?: { linkRemovedFromDeal?: true; dealMovedToStageId?: string; late?: true; duplicate?: true };
  /** Normalised facts from the source (never card data, secrets or tokens). */
  facts?: Record<string, unknown>;
}

export interface EventOrigin {
  source: PaymentEventSource;
  actor?: string | undefined;
  providerEventId?: string | undefined;
  note?: string | undefined;
  reference?: string | undefined;
  facts?: Record<string, unknown> | undefined;
}

export interface AppendEvent {
  workspaceId: string;
  paymentId: string;
  from: PaymentStatus | null;
  to: PaymentStatus | null;
  origin: EventOrigin;
  payload: Omit<PaymentEventPayload, 'seq' | 'note' | 'reference' | 'facts'>;
  at: Date;
}

/** The payload an audit row stores, but for its `seq` (counted in SQL, see nextSeq). */
export function eventPayload(
  event: Pick<AppendEvent, 'origin' | 'payload'>,
): Omit<PaymentEventPayload, 'seq'> {
  const { origin } = event;
  return {
    ...event.payload,
    ...(origin.note === undefined ? {} : { note: origin.note }),
    ...(origin.reference === undefined ? {} : { reference: origin.reference }),
    ...(origin.facts === undefined ? {} : { facts: origin.facts }),
  };
}

/**
 * The payment's next `seq`: the rows it has so far. Callers hold the payment's row lock (and the
 * statement started after it was taken), so the count gives a gap-free order even when several
 * rows share a timestamp.
 */
export function nextSeq(workspaceId: string, paymentId: string): SQL {
  return sql`(select count(*)::int from ${paymentEvents}
    where ${paymentEvents.workspaceId} = ${workspaceId} and ${paymentEvents.paymentId} = ${paymentId})`;
}

/** Appends one audit row, its `seq` counted in the same statement. */
export async function appendPaymentEvent(tx: PaylinksTransaction, event: AppendEvent): Promise<string> {
  const { origin } = event;
  const payload = sql`${JSON.stringify(eventPayload(event))}::jsonb || jsonb_build_object('seq', ${nextSeq(event.workspaceId, event.paymentId)})`;
  const [row] = await tx
    .insert(paymentEvents)
    .values({
      workspaceId: event.workspaceId,
      paymentId: event.paymentId,
      fromStatus: event.from,
      toStatus: event.to,
      source: origin.source,
      actor: origin.actor ?? null,
      providerEventId: origin.providerEventId ?? null,
      payload,
      createdAt: event.at,
    })
    .returning({ id: paymentEvents.id });
  return row!.id;
}

export interface PendingEvent {
  id: string;
  status: PaymentStatus;
  origin: EventOrigin;
}

/** Early events (e.g. `returned` before the success) still waiting for a status that may come. */
export async function loadPendingEvents(
  tx: PaylinksTransaction,
  workspaceId: string,
  paymentId: string,
): Promise<PendingEvent[]> {
  const rows = await selectRows<{
    id: string;
    source: PaymentEventSource;
    actor: string | null;
    provider_event_id: string | null;
    payload: PaymentEventPayload;
  }>(
    tx,
    sql`select e.id::text as id, e.source, e.actor, e.provider_event_id, e.payload
        from payment_events e
        where e.workspace_id = ${workspaceId} and e.payment_id = ${paymentId}
          and e.payload->>'outcome' = 'pending'
          and not exists (
            select 1 from payment_events s
            where s.workspace_id = e.workspace_id and s.payment_id = e.payment_id
              and s.payload->>'settles' = e.id::text)
        order by e.created_at, (e.payload->>'seq')::int`,
  );
  return rows.flatMap((row) => {
    const payload = typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload;
    if (!payload.received) return [];
    return [
      {
        id: row.id,
        status: payload.received,
        origin: {
          source: row.source,
          actor: row.actor ?? undefined,
          providerEventId: row.provider_event_id ?? undefined,
          note: payload.note,
          reference: payload.reference,
          facts: payload.facts,
        },
      },
    ];
  });
}
