import { createMoney, type PaymentStatus, paymentStatusLabel } from '@paylinks/core';
import { type PaylinksExecutor, paymentEvents, user } from '@paylinks/db';
import { and, asc, eq, sql } from 'drizzle-orm';
import { presentMoney } from '../http/money-schema.js';
import type { PaymentEventPayload } from './payment-event-log.js';

/** A payment's audit trail, oldest first, with team members' names instead of their ids. */
export async function loadTimeline(db: PaylinksExecutor, workspaceId: string, paymentId: string) {
  const rows = await db
    .select({
      id: paymentEvents.id,
      from: paymentEvents.fromStatus,
      to: paymentEvents.toStatus,
      source: paymentEvents.source,
      actor: paymentEvents.actor,
      actorName: user.name,
      providerEventId: paymentEvents.providerEventId,
      payload: paymentEvents.payload,
      at: paymentEvents.createdAt,
    })
    .from(paymentEvents)
    .leftJoin(user, sql`${user.id}::text = ${paymentEvents.actor}`)
    .where(and(eq(paymentEvents.workspaceId, workspaceId), eq(paymentEvents.paymentId, paymentId)))
    // Several rows can share one transaction's timestamp; seq (from the apply path) orders them.
    .orderBy(asc(paymentEvents.createdAt), sql`coalesce((${paymentEvents.payload}->>'seq')::int, 0)`);
  return rows.map((row) => {
    const payload = (row.payload ?? {}) as Partial<PaymentEventPayload>;
    const received = payload.received ?? null;
    return {
      id: row.id,
      from: row.from,
      to: row.to,
      toLabel: row.to === null ? null : paymentStatusLabel(row.to as PaymentStatus),
      outcome: payload.outcome ?? (row.to === null ? 'refused' : 'applied'),
      received,
      source: row.source,
      // A name only when the actor is a team member; a provider actor is shown by its id.
      actor: row.actor === null ? null : { id: row.actor, name: row.actorName ?? null },
      providerEventId: row.providerEventId,
      note: payload.note ?? null,
      reference: payload.reference ?? null,
      amount: refundAmount(payload),
      at: row.at.toISOString(),
    };
  });
}

/** A refund row keeps its amount in its facts (refund-ledger.ts). */
function refundAmount(payload: Partial<PaymentEventPayload>) {
  if (payload.outcome !== 'refund') return null;
  const facts = payload.facts ?? {};
  const money = createMoney(BigInt(String(facts.amountMinor ?? '0')), facts.currency);
  return money.ok ? presentMoney(money.value) : null;
}
