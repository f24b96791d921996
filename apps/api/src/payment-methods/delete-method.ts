import { isForeignKeyViolation, type PaylinksDb, schema } from '@paylinks/db';
import { and, eq } from 'drizzle-orm';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';

const inUse = () =>
  new ProblemError(409, {
    code: 'method_in_use',
    field: 'id',
    message:
      'Payment links or payments use this method, and their history must keep it. Disable it instead: it then takes no new payments.',
  });

/** Deletes a method nothing refers to; one with links, payments or webhook receipts is only disabled. */
export async function deleteMethod(db: PaylinksDb, workspaceId: string, methodId: string): Promise<void> {
  const usedBy = [schema.paymentLinks, schema.payments, schema.webhookReceipts] as const;
  for (const table of usedBy) {
    const [used] = await db
      .select({ id: table.id })
      .from(table)
      .where(and(eq(table.workspaceId, workspaceId), eq(table.methodId, methodId)))
      .limit(1);
    if (used) throw inUse();
  }
  try {
    const deleted = await db
      .delete(schema.paymentMethods)
      .where(and(eq(schema.paymentMethods.workspaceId, workspaceId), eq(schema.paymentMethods.id, methodId)))
      .returning({ id: schema.paymentMethods.id });
    if (deleted.length === 0) throw notFound('id', 'payment method');
  } catch (error) {
    // A link created between the check and the delete: the foreign key keeps history intact.
    if (isForeignKeyViolation(error)) throw inUse();
    throw error;
  }
}
