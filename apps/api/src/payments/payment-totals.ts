import { contacts, type PaylinksExecutor, paymentLinks, paymentMethods, payments } from '@paylinks/db';
import { asc, type SQL, sql } from 'drizzle-orm';
import { presentMoney } from '../http/money-schema.js';
import { contactOfPayment, linkOfPayment, methodOfPayment } from './payment-queries.js';

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
    .innerJoin(paymentMethods, methodOfPayment)
    .innerJoin(contacts, contactOfPayment)
    .innerJoin(paymentLinks, linkOfPayment)
    .where(where)
    .groupBy(payments.currency)
    .orderBy(asc(payments.currency));
  // A total may pass the largest single amount, so it is shown without createMoney's upper bound.
  return rows.map((row) => ({
    amount: presentMoney({ minor: BigInt(row.totalMinor), currency: row.currency }),
    count: Number(row.count),
  }));
}
