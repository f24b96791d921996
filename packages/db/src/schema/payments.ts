import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  amountMinor,
  createdAt,
  currency,
  currencyCheck,
  id,
  nonNegativeCheck,
  tenantReference,
  timestamptz,
  workspaceId,
} from './columns';
import { contacts } from './contacts';
import { deals } from './deals';
import { paymentStatus } from './enums';
import { paymentLinks } from './payment-links';
import { paymentMethods } from './payment-methods';
import { workspaces } from './workspaces';

/**
 * One payment attempt, born at click-through in `processing`. Only applyPaymentEvent in apps/api
 * changes `status`; every change is mirrored by a row in payment_events.
 */
export const payments = pgTable(
  'payments',
  {
    id: id(),
    workspaceId: workspaceId(),
    linkId: uuid('link_id').notNull(),
    contactId: uuid('contact_id').notNull(),
    /** Null until a contact-origin payment gets the deal created for it during checkout. */
    dealId: uuid('deal_id'),
    methodId: uuid('method_id').notNull(),
    status: paymentStatus('status').notNull().default('processing'),
    amountMinor: amountMinor().notNull(),
    currency: currency().notNull(),
    description: text('description').notNull(),
    /** The provider's id for the checkout/payment; null until checkout has started. */
    providerReference: text('provider_reference'),
    idempotencyKey: text('idempotency_key'),
    /** A provider success that arrived after the link expired or was deleted: kept, flagged. */
    isLate: boolean('is_late').notNull().default(false),
    /** A success on a deal link that another payment had already paid: kept, flagged, refund offered. */
    isDuplicate: boolean('is_duplicate').notNull().default(false),
    /** Card attempts the provider declined for this payment: past the budget, checkout stops. */
    declinedAttempts: integer('declined_attempts').notNull().default(0),
    /** When we closed this payment's open checkout at the provider because another payment paid the link. */
    checkoutClosedAt: timestamptz('checkout_closed_at'),
    /** Reconciliation's claim on this payment while it asks the provider, outside any transaction. */
    reconcileLeaseUntil: timestamptz('reconcile_lease_until'),
    /** When the provider was last asked for this payment's status (bounds polling of the return page). */
    statusFetchedAt: timestamptz('status_fetched_at'),
    confirmedBy: text('confirmed_by'),
    confirmedAt: timestamptz('confirmed_at'),
    confirmationNote: text('confirmation_note'),
    confirmationReference: text('confirmation_reference'),
    /** Click-through facts; the visitor key is an opaque hash so a refresh is not a new visit. */
    clickedAt: timestamptz('clicked_at'),
    clickVisitorKey: text('click_visitor_key'),
    clickUserAgent: text('click_user_agent'),
    // Refunds and payer details (issue 14):
    /** What the payer typed at checkout; shown to the team, never on the public page, never logged. */
    payerEmail: text('payer_email'),
    payerPhone: text('payer_phone'),
    /** Money returned or on its way back (refunds succeeded or pending), kept with each refund. */
    refundedMinor: amountMinor('refunded_minor').notNull().default(sql`0`),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    statusChangedAt: timestamptz('status_changed_at').notNull().defaultNow(),
    // Integrations (issue 14): the integrator's own key/value pairs, starting as the link's.
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete('cascade'),
    tenantReference('payments_link_id_fk', t, t.linkId, paymentLinks),
    tenantReference('payments_contact_id_fk', t, t.contactId, contacts),
    tenantReference('payments_deal_id_fk', t, t.dealId, deals),
    tenantReference('payments_method_id_fk', t, t.methodId, paymentMethods),
    unique('payments_workspace_id_id_unique').on(t.workspaceId, t.id),
    // Deduplication lives in the database: a replayed checkout or webhook cannot fork a payment.
    unique('payments_method_provider_reference_unique').on(t.methodId, t.providerReference),
    unique('payments_workspace_idempotency_key_unique').on(t.workspaceId, t.idempotencyKey),
    nonNegativeCheck('payments', t.amountMinor),
    currencyCheck('payments', t.currency),
    index('payments_workspace_created_idx').on(t.workspaceId, t.createdAt, t.id),
    index('payments_workspace_status_idx').on(t.workspaceId, t.status, t.createdAt),
    index('payments_workspace_contact_idx').on(t.workspaceId, t.contactId, t.createdAt),
    index('payments_workspace_deal_idx').on(t.workspaceId, t.dealId, t.createdAt),
    index('payments_workspace_link_idx').on(t.workspaceId, t.linkId, t.createdAt),
    // Integrations (issue 14): incremental sync walks (updated_at, id).
    index('payments_workspace_updated_idx').on(t.workspaceId, t.updatedAt, t.id),
    check('payments_metadata_object', sql`jsonb_typeof(${t.metadata}) = 'object'`),
    // A returning visitor's last visit is read with the link on every view of the payment page.
    index('payments_link_visitor_idx')
      .on(t.workspaceId, t.linkId, t.clickVisitorKey, t.clickedAt)
      .where(sql`${t.clickVisitorKey} is not null`),
    // Reconciliation scans every tenant for stuck payments it can ask the provider about.
    index('payments_reconciliation_idx')
      .on(t.statusChangedAt)
      .where(sql`${t.status} = 'processing' and ${t.providerReference} is not null`),
  ],
);
