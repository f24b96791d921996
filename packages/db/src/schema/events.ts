import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  foreignKey,
  index,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, timestamptz, workspaceId } from './columns';
import { workspaces } from './workspaces';

/** Every event type the API emits; the CHECK below keeps an unknown type out of the outbox. */
export const eventTypes = [
  'payment.created',
  'payment.status_changed',
  'payment.flagged',
  'link.created',
  'link.deleted',
  'link.expired',
  'deal.created',
] as const;

export type EventType = (typeof eventTypes)[number];

/**
 * The outbox: one row per thing that happened, written in the same statement or transaction as the
 * change it describes, so an event exists exactly when its change committed. `GET /api/events` lists
 * these rows and the webhook fan-out delivers them; rows older than 30 days are swept.
 */
export const events = pgTable(
  'events',
  {
    /** The public event id integrators deduplicate by; random, so nothing public is sequential. */
    id: id(),
    workspaceId: workspaceId(),
    /** Global insertion order, internal: pages the list and orders deliveries per payment. */
    sequence: bigint('sequence', { mode: 'bigint' })
      .notNull()
      .generatedAlwaysAsIdentity()
      .unique('events_sequence_unique'),
    type: text('type').$type<EventType>().notNull(),
    /** Subjects, without foreign keys: an event outlives nothing it describes but stays as written. */
    paymentId: uuid('payment_id'),
    linkId: uuid('link_id'),
    /** The event's `data` object, as delivered: a snapshot of the subject when the event happened. */
    payload: jsonb('payload').notNull(),
    createdAt: createdAt(),
    /** Set by the webhook fan-out once it has queued deliveries for this event. */
    dispatchedAt: timestamptz('dispatched_at'),
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete('cascade'),
    check(
      'events_type_known',
      sql`${t.type} in (${sql.raw(eventTypes.map((type) => `'${type}'`).join(', '))})`,
    ),
    // GET /api/events pages a workspace's events by sequence.
    index('events_workspace_sequence_idx').on(t.workspaceId, t.sequence),
    index('events_undispatched_idx').on(t.sequence).where(sql`${t.dispatchedAt} is null`),
    // The retention sweep deletes by age across workspaces.
    index('events_created_idx').on(t.createdAt),
    // A link announces each expiry once, whichever instance's job sees it first.
    uniqueIndex('events_link_expired_once')
      .on(t.linkId, sql`(${t.payload}->>'expiresAt')`)
      .where(sql`${t.type} = 'link.expired'`),
  ],
);
