import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, jsonb, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
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
import { linkOrigin } from './enums';
import { paymentMethods } from './payment-methods';
import { workspaces } from './workspaces';

export const paymentLinks = pgTable(
  'payment_links',
  {
    id: id(),
    workspaceId: workspaceId(),
    /**
     * Public bearer secret in /pay/<token>: ≥128 CSPRNG bits, base64url, never the row id, so
     * guessing or enumerating links is infeasible. Globally unique because the URL has no tenant.
     */
    token: text('token').notNull().unique('payment_links_token_unique'),
    origin: linkOrigin('origin').notNull(),
    /** 'custom' or a payment-type plugin id; plugins register at runtime, so no enum. */
    type: text('type').notNull().default('custom'),
    /** What the type plugin needs to rebuild its choice (e.g. the course), opaque here. */
    typeOption: jsonb('type_option'),
    description: text('description').notNull(),
    payerName: text('payer_name'),
    payerEmail: text('payer_email'),
    methodId: uuid('method_id').notNull(),
    amountMinor: amountMinor().notNull(),
    currency: currency().notNull(),
    /** Null means unlimited; expires_at is derived at creation and is what gets compared. */
    validityDays: integer('validity_days'),
    expiresAt: timestamptz('expires_at'),
    contactId: uuid('contact_id').notNull(),
    dealId: uuid('deal_id'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    deletedAt: timestamptz('deleted_at'),
    /** Set when a successful payment takes a deal link off the deal; the link stays in history. */
    removedFromDealAt: timestamptz('removed_from_deal_at'),
    /**
     * A deal link is charged once: while one payer's checkout is at the provider, this payment holds
     * the link until the time below (short, outlives any provider call, so a crashed holder frees it).
     */
    checkoutLeasePaymentId: uuid('checkout_lease_payment_id'),
    /** Checkout stopped after too many declined attempts (card testing); the team sees why and may resume. */
    checkoutPausedAt: timestamptz('checkout_paused_at'),
    checkoutPausedReason: text('checkout_paused_reason'),
    /** Click-throughs beyond the per-minute cap: counted here, not stored as payments. */
    unrecordedClickThroughs: integer('unrecorded_click_throughs').notNull().default(0),
    checkoutLeaseUntil: timestamptz('checkout_lease_until'),
    // Integrations (issue 14): when anything the API shows of the link last changed (incremental
    // sync), and the integrator's own key/value pairs, copied onto each payment at click-through.
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete('cascade'),
    tenantReference('payment_links_method_id_fk', t, t.methodId, paymentMethods),
    tenantReference('payment_links_contact_id_fk', t, t.contactId, contacts),
    tenantReference('payment_links_deal_id_fk', t, t.dealId, deals),
    unique('payment_links_workspace_id_id_unique').on(t.workspaceId, t.id),
    // 22 base64url characters carry 132 bits; anything shorter cannot hold 128.
    check('payment_links_token_format', sql`${t.token} ~ '^[A-Za-z0-9_-]{22,}$'`),
    check('payment_links_deal_origin_has_deal', sql`${t.origin} <> 'deal' or ${t.dealId} is not null`),
    check('payment_links_validity_days_positive', sql`${t.validityDays} >= 1`),
    nonNegativeCheck('payment_links', t.amountMinor),
    currencyCheck('payment_links', t.currency),
    index('payment_links_workspace_created_idx').on(t.workspaceId, t.createdAt, t.id),
    index('payment_links_workspace_contact_idx').on(t.workspaceId, t.contactId, t.createdAt),
    index('payment_links_workspace_deal_idx').on(t.workspaceId, t.dealId, t.createdAt),
    // Integrations (issue 14): incremental sync walks (updated_at, id).
    index('payment_links_workspace_updated_idx').on(t.workspaceId, t.updatedAt, t.id),
    check('payment_links_metadata_object', sql`jsonb_typeof(${t.metadata}) = 'object'`),
    // Events (issue 14): the link.expired job looks, across tenants, for live links whose validity ended.
    index('payment_links_expiry_idx')
      .on(t.expiresAt)
      .where(sql`${t.deletedAt} is null and ${t.expiresAt} is not null`),
  ],
);
