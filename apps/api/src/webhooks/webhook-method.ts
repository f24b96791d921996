import { type PaylinksDb, paymentMethods } from '@paylinks/db';
import { eq, sql } from 'drizzle-orm';
import type { PaymentMethodRow } from '../payment-methods/method-lookup.js';

function build(db: PaylinksDb) {
  return db
    .select()
    .from(paymentMethods)
    .where(eq(paymentMethods.id, sql.placeholder('methodId')))
    .prepare('webhook_method');
}

// Prepared once per database: every provider event starts with this read.
const prepared = new WeakMap<PaylinksDb, ReturnType<typeof build>>();

/**
 * The method a provider posts to. The method id alone names the workspace; a disabled method
 * still hears about money that moved.
 */
export async function findWebhookMethod(
  db: PaylinksDb,
  methodId: string,
): Promise<PaymentMethodRow | undefined> {
  let read = prepared.get(db);
  if (!read) {
    read = build(db);
    prepared.set(db, read);
  }
  const [method] = await read.execute({ methodId });
  return method;
}
