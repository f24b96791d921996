import { sql } from 'drizzle-orm';
import {
  bigint,
  char,
  check,
  customType,
  foreignKey,
  type PgColumn,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

// Shared column builders so every aggregate spells ids, money and time the same way.

export const id = () => uuid('id').primaryKey().defaultRandom();

export const workspaceId = () => uuid('workspace_id').notNull();

/** Timestamps are timestamptz read back as Date: the domain compares in UTC to the second. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const createdAt = () => timestamptz('created_at').notNull().defaultNow();

/** Minor units as bigint: a float or a JS number would silently lose cents above 2^53. */
export const amountMinor = (name = 'amount_minor') => bigint(name, { mode: 'bigint' });

export const currency = (name = 'currency') => char(name, { length: 3 });

/** Raw bytes (drizzle has no built-in bytea); PGlite hands back Uint8Array, postgres.js a Buffer. */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

// CHECK helpers take the column name so constraint names stay unique per table.
export const currencyCheck = (table: string, column: { name: string }) =>
  check(`${table}_${column.name}_iso`, sql`${sql.identifier(column.name)} ~ '^[A-Z]{3}$'`);

export const nonNegativeCheck = (table: string, column: { name: string }) =>
  check(`${table}_${column.name}_non_negative`, sql`${sql.identifier(column.name)} >= 0`);

/**
 * A reference that cannot leave the tenant: (workspace_id, x_id) → target (workspace_id, id), so a
 * row can only point at rows of its own workspace. The target needs unique (workspace_id, id).
 */
export const tenantReference = (
  name: string,
  table: { workspaceId: PgColumn },
  column: PgColumn,
  target: { workspaceId: PgColumn; id: PgColumn },
) =>
  foreignKey({ name, columns: [table.workspaceId, column], foreignColumns: [target.workspaceId, target.id] });
