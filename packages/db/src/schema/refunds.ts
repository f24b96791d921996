import { sql } from 'drizzle-orm';
import { check, foreignKey, index, pgEnum, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import {
  amountMinor,
  createdAt,
  currency,
  currencyCheck,
  id,
  tenantReference,
  timestamptz,
  workspaceId,
} from './columns';
import { payments } from './payments';
import { workspaces } from './workspaces';

/**
 * claimed: reserved before the provider is called (counts against what is left), so two requests
 * cannot refund the same money; pending: the provider accepted and settles later; succeeded: money
 * returned (or recorded by hand); failed: the provider refused, nothing returned, nothing counted.
 */
export const refundStatus = pgEnum('refund_status', ['claimed', 'pending', 'succeeded', 'failed']);

/**
 * Money given back on a payment, one row per refund: several per payment, up to what was paid.
 * The row is written before the provider is called and its id is the provider's idempotency key,
 * so a retry of an interrupted refund asks the provider for the same refund, never a second one.
 */
export const refunds = pgTable(
  'refunds',
  {
    id: id(),
    workspaceId: workspaceId(),
    paymentId: uuid('payment_id').notNull(),
    amountMinor: amountMinor().notNull(),
    currency: currency().notNull(),
    reason: text('reason'),
    status: refundStatus('status').notNull().default('claimed'),
    /** Null for a refund the team made by hand (a payment confirmed by a team member). */
    providerRefundReference: text('provider_refund_reference'),
    /** The request's Idempotency-Key, so a retried request finds (and finishes) this refund. */
    requestKey: text('request_key'),
    /** Why the provider refused, as its error code; only on failed refunds. */
    failureCode: text('failure_code'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete('cascade'),
    tenantReference('refunds_payment_id_fk', t, t.paymentId, payments).onDelete('cascade'),
    unique('refunds_payment_request_key_unique').on(t.workspaceId, t.paymentId, t.requestKey),
    check('refunds_amount_minor_positive', sql`${t.amountMinor} > 0`),
    currencyCheck('refunds', t.currency),
    index('refunds_workspace_payment_idx').on(t.workspaceId, t.paymentId, t.createdAt),
  ],
);
