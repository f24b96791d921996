import { contacts, type PaylinksExecutor, paymentLinks, paymentMethods, payments } from '@paylinks/db';
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import { presentMoney } from '../http/money-schema.js';

/**
 * What the filtered list adds up to, per currency: one aggregate over the same rows the list and the
 * CSV show (the same joins, so a filter on payer or contact name counts exactly what it lists).
 * Amounts in different currencies never add up, so each currency gets its own total.
 */
export async function selectPaymentTotals(db: PaylinksExecutor, where: SQL) {
  const rows = await db
    .select({
      currency: payments.currency,
      // bigint sums come back as numeric, read as a string: exact, never through a float.
      totalMinor: sql<string>`sum(${payments.amountMinor})::text`,
      count: sql<number>`count(*)::int`,
    })
    .from(payments)
    .innerJoin(
      paymentMethods,
      and(eq(paymentMethods.workspaceId, payments.workspaceId), eq(paymentMethods.id, payments.methodId)),
    )
    .innerJoin(
      contacts,
      and(eq(contacts.workspaceId, payments.workspaceId), eq(contacts.id, payments.contactId)),
    )
    .innerJoin(
      paymentLinks,
      and(eq(paymentLinks.workspaceId, payments.workspaceId), eq(paymentLinks.id, payments.linkId)),
    )
    .where(where)
    .groupBy(payments.currency)
    .orderBy(asc(payments.currency));
  // A total may pass the largest single amount, so it is shown without createMoney's upper bound.
  return rows.map((row) => ({
    amount: presentMoney({ minor: BigInt(row.totalMinor), currency: row.currency }),
    count: Number(row.count),
  }));
}
