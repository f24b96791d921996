import { foreignKey, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantReference, workspaceId } from './columns';
import { paymentEventSource, paymentStatus } from './enums';
import { payments } from './payments';
import { workspaces } from './workspaces';

/**
 * Append-only audit trail: rows are inserted, never updated or deleted. A refused transition is
 * recorded too, with `to_status` null, so the team can see what was ignored and why.
 */
export const paymentEvents = pgTable(
  'payment_events',
  {
    id: id(),
    workspaceId: workspaceId(),
    paymentId: uuid('payment_id').notNull(),
    /** Null only for the event that created the payment. */
    fromStatus: paymentStatus('from_status'),
    toStatus: paymentStatus('to_status'),
    source: paymentEventSource('source').notNull(),
    /** Team member id for manual actions, provider id for webhooks; free text on purpose. */
    actor: text('actor'),
    providerEventId: text('provider_event_id'),
    /** Normalised facts only; never card data, secrets or tokens. */
    payload: jsonb('payload'),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete('cascade'),
    tenantReference('payment_events_payment_id_fk', t, t.paymentId, payments),
    index('payment_events_payment_idx').on(t.workspaceId, t.paymentId, t.createdAt),
  ],
);
