import { foreignKey, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { id, tenantReference, timestamptz, workspaceId } from './columns';
import { webhookOutcome } from './enums';
import { paymentMethods } from './payment-methods';
import { workspaces } from './workspaces';

/**
 * One row per provider event we accepted. The unique (method, event id) is the deduplication:
 * inserting the receipt first, in the same transaction as its effects, makes a redelivery a no-op.
 */
export const webhookReceipts = pgTable(
  'webhook_receipts',
  {
    id: id(),
    workspaceId: workspaceId(),
    methodId: uuid('method_id').notNull(),
    providerEventId: text('provider_event_id').notNull(),
    receivedAt: timestamptz('received_at').notNull().defaultNow(),
    processedAt: timestamptz('processed_at'),
    outcome: webhookOutcome('outcome'),
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete('cascade'),
    tenantReference('webhook_receipts_method_id_fk', t, t.methodId, paymentMethods),
    unique('webhook_receipts_method_event_unique').on(t.methodId, t.providerEventId),
  ],
);
