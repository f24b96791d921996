import {
  type PaylinksExecutor,
  selectRows,
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookEndpoints,
} from '@paylinks/db';
import { and, asc, eq, inArray, isNull, lt, lte, notExists, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';

// Any constant both instances agree on: the fan-out of one instance at a time (see fanOutEvents).
const FAN_OUT_LOCK = 0x70_6c_77_68; // "plwh"

/**
 * Queues a delivery of each new event to every enabled endpoint of its workspace that wants its type,
 * and marks the event dispatched, in one statement: an event is queued exactly once, however many
 * instances run this. Rows are taken `FOR UPDATE SKIP LOCKED`, and only one fan-out runs at a time
 * (a transaction advisory lock, released when the statement ends): two runs taking interleaved slices
 * of the outbox could otherwise queue a payment's later event before its earlier one is queued.
 * Returns how many events it took; call again while it returns `limit`.
 */
export async function fanOutEvents(
  db: PaylinksExecutor,
  input: { now: Date; limit: number },
): Promise<number> {
  const now = input.now.toISOString();
  const rows = await selectRows<{ id: string }>(
    db,
    sql`with picked as (
          select id, workspace_id, type, payment_id, sequence from events
          where dispatched_at is null and (select pg_try_advisory_xact_lock(${FAN_OUT_LOCK}))
          order by sequence
          limit ${input.limit}
          for update skip locked
        ), queued as (
          insert into webhook_deliveries
            (workspace_id, endpoint_id, event_id, event_sequence, payment_id, next_attempt_at, created_at)
          select p.workspace_id, e.id, p.id, p.sequence, p.payment_id, ${now}::timestamptz, ${now}::timestamptz
          from picked p
          join webhook_endpoints e on e.workspace_id = p.workspace_id and e.enabled
            and (e.event_types is null or p.type = any(e.event_types))
          returning 1
        )
        update events set dispatched_at = ${now}::timestamptz
        from picked where events.id = picked.id
        returning events.id::text as id`,
  );
  return rows.length;
}

/** How long a sender owns what it claimed: all of a batch is sent at once, each POST within its timeout. */
export const DELIVERY_LEASE_MS = 60_000;

export type ClaimedDelivery = typeof webhookDeliveries.$inferSelect;

/**
 * Claims up to `limit` due deliveries for one run, in one committed statement, so no lock is held
 * while endpoints are called. SKIP LOCKED and the lease keep every other instance off them. A
 * delivery waits while an earlier event of the same payment to the same endpoint is still pending,
 * so an endpoint sees each payment's events in order; endpoints that are disabled get nothing.
 */
export async function claimDueDeliveries(
  db: PaylinksExecutor,
  input: { now: Date; limit: number; leaseUntil: Date },
): Promise<ClaimedDelivery[]> {
  const d = webhookDeliveries;
  const earlier = alias(webhookDeliveries, 'earlier');
  const due = db
    .select({ id: d.id })
    .from(d)
    .innerJoin(
      webhookEndpoints,
      and(
        eq(webhookEndpoints.workspaceId, d.workspaceId),
        eq(webhookEndpoints.id, d.endpointId),
        eq(webhookEndpoints.enabled, true),
      ),
    )
    .where(
      and(
        eq(d.status, 'pending'),
        lte(d.nextAttemptAt, input.now),
        or(isNull(d.leaseUntil), lte(d.leaseUntil, input.now)),
        notExists(
          db
            .select({ one: sql`1` })
            .from(earlier)
            .where(
              and(
                eq(earlier.endpointId, d.endpointId),
                eq(earlier.paymentId, d.paymentId),
                eq(earlier.status, 'pending'),
                lt(earlier.eventSequence, d.eventSequence),
              ),
            ),
        ),
      ),
    )
    .orderBy(asc(d.nextAttemptAt), asc(d.eventSequence))
    .limit(input.limit)
    .for('update', { of: d, skipLocked: true });
  return db.update(d).set({ leaseUntil: input.leaseUntil }).where(inArray(d.id, due)).returning();
}

export type AttemptResult = {
  at: Date;
  responseCode: number | null;
  error: string | null;
  durationMs: number;
  /** succeeded, another try at `nextAttemptAt`, or failed for good. */
  outcome: { status: 'succeeded' } | { status: 'pending'; nextAttemptAt: Date } | { status: 'failed' };
};

/**
 * Writes down one try and what follows from it, only while this run still holds the lease (a run
 * that overran it lost the delivery to another instance, whose result counts).
 */
export async function recordAttempt(
  db: PaylinksExecutor,
  delivery: ClaimedDelivery,
  result: AttemptResult,
): Promise<void> {
  const { outcome } = result;
  await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(webhookDeliveries)
      .set({
        status: outcome.status,
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        nextAttemptAt: outcome.status === 'pending' ? outcome.nextAttemptAt : null,
        leaseUntil: null,
        lastAttemptAt: result.at,
        lastResponseCode: result.responseCode,
        lastError: result.error,
        ...(outcome.status === 'succeeded' ? { deliveredAt: result.at } : {}),
      })
      .where(
        and(
          eq(webhookDeliveries.workspaceId, delivery.workspaceId),
          eq(webhookDeliveries.id, delivery.id),
          eq(webhookDeliveries.leaseUntil, delivery.leaseUntil!),
        ),
      )
      .returning({ id: webhookDeliveries.id });
    if (!updated) return;
    await tx.insert(webhookDeliveryAttempts).values({
      workspaceId: delivery.workspaceId,
      deliveryId: delivery.id,
      attemptedAt: result.at,
      responseCode: result.responseCode,
      error: result.error,
      durationMs: result.durationMs,
    });
  });
}
