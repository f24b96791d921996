import { foreignKey, index, integer, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, id, timestamptz, workspaceId } from './columns';
import { workspaces } from './workspaces';

/**
 * Replays of API mutations sent with an Idempotency-Key. The request hash catches a key reused
 * with a different body; the stored response is returned verbatim to a retry.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    id: id(),
    workspaceId: workspaceId(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    /** Null while the first request is still running. */
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    /** While the first request runs: after this a crashed holder's claim is taken over. */
    leaseUntil: timestamptz('lease_until'),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete('cascade'),
    unique('idempotency_keys_workspace_key_unique').on(t.workspaceId, t.key),
    // Expiry sweeps delete by age across workspaces.
    index('idempotency_keys_created_idx').on(t.createdAt),
  ],
);
