import { events, type PaylinksDb, webhookDeliveries, webhookDeliveryAttempts } from '@paylinks/db';
import { and, asc, desc, eq, inArray, lt, or } from 'drizzle-orm';
import type { Clock } from '../app-context.js';
import { notFound } from '../http/not-found.js';
import { type Cursor, decodeCursor, toPage } from '../http/pagination.js';

const iso = (at: Date | null) => at?.toISOString() ?? null;

const deliveryColumns = {
  id: webhookDeliveries.id,
  eventId: webhookDeliveries.eventId,
  eventType: events.type,
  status: webhookDeliveries.status,
  attempts: webhookDeliveries.attempts,
  nextAttemptAt: webhookDeliveries.nextAttemptAt,
  lastAttemptAt: webhookDeliveries.lastAttemptAt,
  lastResponseCode: webhookDeliveries.lastResponseCode,
  lastError: webhookDeliveries.lastError,
  deliveredAt: webhookDeliveries.deliveredAt,
  createdAt: webhookDeliveries.createdAt,
};

type Delivery = typeof webhookDeliveries.$inferSelect;
type DeliveryRow = Pick<
  Delivery,
  | 'id'
  | 'eventId'
  | 'status'
  | 'attempts'
  | 'nextAttemptAt'
  | 'lastAttemptAt'
  | 'lastResponseCode'
  | 'lastError'
  | 'deliveredAt'
  | 'createdAt'
> & { eventType: (typeof events.$inferSelect)['type'] };

/** An endpoint's deliveries, newest first, each with every try it took. */
export async function listDeliveries(
  db: PaylinksDb,
  input: { workspaceId: string; endpointId: string; limit: number; cursor?: string },
) {
  const after = decodeCursor(input.cursor);
  const rows = await db
    .select(deliveryColumns)
    .from(webhookDeliveries)
    .innerJoin(events, eq(events.id, webhookDeliveries.eventId))
    .where(
      and(
        eq(webhookDeliveries.workspaceId, input.workspaceId),
        eq(webhookDeliveries.endpointId, input.endpointId),
        after ? olderThan(after) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(input.limit + 1);
  const page = toPage(rows, input.limit);
  const presented = await withAttempts(db, input.workspaceId, page.items);
  return { deliveries: presented, nextCursor: page.nextCursor };
}

const olderThan = (cursor: Cursor) =>
  or(
    lt(webhookDeliveries.createdAt, cursor.createdAt),
    and(eq(webhookDeliveries.createdAt, cursor.createdAt), lt(webhookDeliveries.id, cursor.id)),
  );

async function withAttempts(db: PaylinksDb, workspaceId: string, rows: DeliveryRow[]) {
  const attempts =
    rows.length === 0
      ? []
      : await db
          .select()
          .from(webhookDeliveryAttempts)
          .where(
            and(
              eq(webhookDeliveryAttempts.workspaceId, workspaceId),
              inArray(
                webhookDeliveryAttempts.deliveryId,
                rows.map((row) => row.id),
              ),
            ),
          )
          .orderBy(asc(webhookDeliveryAttempts.attemptedAt), asc(webhookDeliveryAttempts.id));
  return rows.map((row) =>
    presentDelivery(
      row,
      attempts.filter((a) => a.deliveryId === row.id),
    ),
  );
}

function presentDelivery(row: DeliveryRow, attempts: (typeof webhookDeliveryAttempts.$inferSelect)[]) {
  return {
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: iso(row.nextAttemptAt),
    lastAttemptAt: iso(row.lastAttemptAt),
    lastResponseCode: row.lastResponseCode,
    lastError: row.lastError,
    deliveredAt: iso(row.deliveredAt),
    createdAt: row.createdAt.toISOString(),
    attemptLog: attempts.map((a) => ({
      attemptedAt: a.attemptedAt.toISOString(),
      responseCode: a.responseCode,
      error: a.error,
      durationMs: a.durationMs,
    })),
  };
}

/**
 * Sends a delivery's event again, as a new delivery with the same event (the same Paylinks-Event-Id,
 * so a receiver that already has it can tell), due at once and with a fresh 3-day retry window.
 */
export async function resendDelivery(
  db: PaylinksDb,
  clock: Clock,
  input: { workspaceId: string; endpointId: string; deliveryId: string },
) {
  const [original] = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.workspaceId, input.workspaceId),
        eq(webhookDeliveries.endpointId, input.endpointId),
        eq(webhookDeliveries.id, input.deliveryId),
      ),
    );
  if (!original) throw notFound('deliveryId', 'delivery');
  const now = clock.now();
  const [resent] = await db
    .insert(webhookDeliveries)
    .values({
      workspaceId: original.workspaceId,
      endpointId: original.endpointId,
      eventId: original.eventId,
      eventSequence: original.eventSequence,
      paymentId: original.paymentId,
      nextAttemptAt: now,
      createdAt: now,
    })
    .returning({ id: webhookDeliveries.id });
  const [row] = await db
    .select(deliveryColumns)
    .from(webhookDeliveries)
    .innerJoin(events, eq(events.id, webhookDeliveries.eventId))
    .where(and(eq(webhookDeliveries.workspaceId, input.workspaceId), eq(webhookDeliveries.id, resent!.id)));
  return presentDelivery(row!, []);
}
