import { boolean, foreignKey, index, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { bytea, createdAt, id, timestamptz, workspaceId } from './columns';
import { paymentMethodMode } from './enums';
import { workspaces } from './workspaces';

/**
 * A provider connected to a workspace. Credentials arrive already encrypted (AES-256-GCM in
 * apps/api, key outside the database); this table only keeps the three parts of the sealed box.
 */
export const paymentMethods = pgTable(
  'payment_methods',
  {
    id: id(),
    workspaceId: workspaceId(),
    /** The plugin id, e.g. 'stripe', 'mollie', 'sandbox'. */
    providerId: text('provider_id').notNull(),
    displayName: text('display_name').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    mode: paymentMethodMode('mode').notNull().default('test'),
    credentialsCiphertext: bytea('credentials_ciphertext').notNull(),
    credentialsIv: bytea('credentials_iv').notNull(),
    credentialsAuthTag: bytea('credentials_auth_tag').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete('cascade'),
    unique('payment_methods_workspace_id_id_unique').on(t.workspaceId, t.id),
    index('payment_methods_workspace_idx').on(t.workspaceId, t.enabled),
  ],
);
