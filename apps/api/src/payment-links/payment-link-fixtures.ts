import { type PaylinksDb, paymentLinks, paymentMethods } from '@paylinks/db';
import { and, eq } from 'drizzle-orm';
import {
  insertContact as insertFixtureContact,
  insertMethod as insertFixtureMethod,
  workspaceFixture,
} from '../payments/payments-fixtures.js';

// Contacts, deals, methods and payments come from ../payments/payments-fixtures.js. The contact
// and method helpers below keep the workspace-id signature for ../http/idempotency.int.test.ts.

export async function insertContact(
  db: PaylinksDb,
  workspaceId: string,
  values: { name?: string; email?: string | null } = {},
) {
  const email = values.email === undefined ? 'grace@example.com' : values.email;
  const w = await workspaceFixture(db, workspaceId);
  return insertFixtureContact(db, w, values.name ?? 'Grace Payer', email);
}

/** The sandbox method every workspace gets at sign-up. */
export async function sandboxMethod(db: PaylinksDb, workspaceId: string) {
  const [row] = await db
    .select()
    .from(paymentMethods)
    .where(and(eq(paymentMethods.workspaceId, workspaceId), eq(paymentMethods.providerId, 'sandbox')));
  return row!;
}

export async function insertMethod(
  db: PaylinksDb,
  workspaceId: string,
  values: { providerId: string; displayName: string; enabled?: boolean },
) {
  const w = await workspaceFixture(db, workspaceId);
  return insertFixtureMethod(db, w, values.displayName, values);
}

export async function countLinks(db: PaylinksDb, workspaceId: string) {
  return (await db.select().from(paymentLinks).where(eq(paymentLinks.workspaceId, workspaceId))).length;
}
