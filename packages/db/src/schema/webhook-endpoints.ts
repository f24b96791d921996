import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { bytea, createdAt, id, tenantReference, timestamptz, workspaceId } from './columns';
import { events } from './events';
import { workspaces } from './workspaces';

/**
 * Where a workspace wants its events POSTed. The signing secret arrives sealed (AES-256-GCM in
 * apps/api, key outside the database), like payment-method credentials. After a rotation the
 * previous secret keeps signing alongside the new one until `previous_secret_expires_at`.
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: id(),
    workspaceId: workspaceId(),
    url: text('url').notNull(),
    /** The event types it wants; null means every type, including ones added later. */
    eventTypes: text('event_types').array(),
    enabled: boolean('enabled').notNull().default(true),
    description: text('description').notNull().default(''),
    secretCiphertext: bytea('secret_ciphertext').notNull(),
    secretIv: bytea('secret_iv').notNull(),
    secretAuthTag: bytea('secret_auth_tag').notNull(),
    previousSecretCiphertext: bytea('previous_secret_ciphertext'),
    previousSecretIv: bytea('previous_secret_iv'),
    previousSecretAuthTag: bytea('previous_secret_auth_tag'),
    previousSecretExpiresAt: timestamptz('previous_secret_expires_at'),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete('cascade'),
    unique('webhook_endpoints_workspace_id_id_unique').on(t.workspaceId, t.id),
    index('webhook_endpoints_workspace_idx').on(t.workspaceId, t.createdAt),
  ],
);

export const webhookDeliveryStatuses = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

/**
 * One event to send to one endpoint: queued by the fan-out (or a resend), claimed by a sender with a
 * lease, retried with backoff until it succeeds or its time is up. `payment_id` and `event_sequence`
 * are copied from the event so the sender can keep one payment's events in order per endpoint.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: id(),
    workspaceId: workspaceId(),
    endpointId: uuid('endpoint_id').notNull(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    eventSequence: bigint('event_sequence', { mode: 'bigint' }).notNull(),
    paymentId: uuid('payment_id'),
    status: text('status').$type<WebhookDeliveryStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamptz('next_attempt_at'),
    /** A sender owns the delivery until then; after it (a crashed sender) any instance may take it. */
    leaseUntil: timestamptz('lease_until'),
    lastAttemptAt: timestamptz('last_attempt_at'),
    lastResponseCode: integer('last_response_code'),
    lastError: text('last_error'),
    deliveredAt: timestamptz('delivered_at'),
    createdAt: createdAt(),
  },
  (t) => [
    tenantReference('webhook_deliveries_endpoint_id_fk', t, t.endpointId, webhookEndpoints).onDelete(
      'cascade',
    ),
    unique('webhook_deliveries_workspace_id_id_unique').on(t.workspaceId, t.id),
    check(
      'webhook_deliveries_status_known',
      sql`${t.status} in (${sql.raw(webhookDeliveryStatuses.map((s) => `'${s}'`).join(', '))})`,
    ),
    // The delivery log pages an endpoint's deliveries newest first.
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt, t.id),
    // The sender's scan of due work, and its check for an earlier pending event of the same payment.
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_pending_payment_idx')
      .on(t.endpointId, t.paymentId, t.eventSequence)
      .where(sql`${t.status} = 'pending'`),
    // The events retention sweep cascades here.
    index('webhook_deliveries_event_idx').on(t.eventId),
  ],
);

/** Each try of a delivery, for the delivery log: when, what came back, how long it took. */
export const webhookDeliveryAttempts = pgTable(
  'webhook_delivery_attempts',
  {
    id: id(),
    workspaceId: workspaceId(),
    deliveryId: uuid('delivery_id').notNull(),
    attemptedAt: timestamptz('attempted_at').notNull(),
    /** The HTTP status the endpoint answered; null when it never answered (timeout, refused). */
    responseCode: integer('response_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [
    tenantReference('webhook_delivery_attempts_delivery_id_fk', t, t.deliveryId, webhookDeliveries).onDelete(
      'cascade',
    ),
    index('webhook_delivery_attempts_delivery_idx').on(t.deliveryId, t.attemptedAt),
  ],
);
