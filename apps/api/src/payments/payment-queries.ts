import { createMoney, type PaymentStatus, paymentStatusLabel } from '@paylinks/core';
import { contacts, type PaylinksExecutor, paymentLinks, paymentMethods, payments, user } from '@paylinks/db';
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import { presentMetadata } from '../http/metadata-schema.js';
import { presentMoney } from '../http/money-schema.js';
import { afterPosition, type ListWalk, syncKey, syncOrder } from '../sync/sync-page.js';

// The joins behind every view of the Payments section (list, CSV, totals), so a filter on a joined
// column counts exactly the rows it lists.
export const methodOfPayment = and(
  eq(paymentMethods.workspaceId, payments.workspaceId),
  eq(paymentMethods.id, payments.methodId),
);
export const contactOfPayment = and(
  eq(contacts.workspaceId, payments.workspaceId),
  eq(contacts.id, payments.contactId),
);
export const linkOfPayment = and(
  eq(paymentLinks.workspaceId, payments.workspaceId),
  eq(paymentLinks.id, payments.linkId),
);

/** One row of the Payments section, with the names a team member reads instead of ids. */
export function selectPayments(db: PaylinksExecutor) {
  return (
    db
      .select({
        id: payments.id,
        status: payments.status,
        amountMinor: payments.amountMinor,
        currency: payments.currency,
        description: payments.description,
        methodId: paymentMethods.id,
        methodName: paymentMethods.displayName,
        providerId: paymentMethods.providerId,
        contactId: contacts.id,
        contactName: contacts.name,
        dealId: payments.dealId,
        linkId: payments.linkId,
        late: payments.isLate,
        duplicate: payments.isDuplicate,
        createdAt: payments.createdAt,
        updatedAt: payments.updatedAt,
        metadata: payments.metadata,
        syncKey: syncKey(payments),
        confirmedById: payments.confirmedBy,
        confirmedByName: user.name,
        confirmedAt: payments.confirmedAt,
        confirmationNote: payments.confirmationNote,
        confirmationReference: payments.confirmationReference,
        refundedMinor: payments.refundedMinor,
        payerEmail: payments.payerEmail,
        payerPhone: payments.payerPhone,
      })
      .from(payments)
      .innerJoin(paymentMethods, methodOfPayment)
      .innerJoin(contacts, contactOfPayment)
      .innerJoin(paymentLinks, linkOfPayment)
      // confirmed_by is free text (it may one day name a non-user actor), so compare as text.
      .leftJoin(user, sql`${user.id}::text = ${payments.confirmedBy}`)
  );
}

export type PaymentRow = Awaited<ReturnType<ReturnType<typeof selectPayments>['execute']>>[number];

/**
 * One keyset page, newest first, or (a sync walk, sync-page.ts) by (updated_at, id); fetches
 * limit + 1 so the caller can tell whether more follow.
 */
export function selectPaymentPage(db: PaylinksExecutor, where: SQL, walk: ListWalk, limit: number) {
  if (walk.kind === 'sync') {
    return selectPayments(db)
      .where(and(where, afterPosition(payments, walk.after)))
      .orderBy(...syncOrder(payments))
      .limit(limit + 1);
  }
  const cursor = walk.after;
  const after =
    cursor === undefined
      ? where
      : and(
          where,
          sql`(${payments.createdAt}, ${payments.id}) < (${cursor.createdAt.toISOString()}::timestamptz, ${cursor.id}::uuid)`,
        );
  return selectPayments(db)
    .where(after)
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(limit + 1);
}

export function presentPayment(row: PaymentRow) {
  const money = createMoney(row.amountMinor, row.currency);
  if (!money.ok) throw new Error(`Stored payment ${row.id} has an invalid amount`);
  return {
    id: row.id,
    status: row.status,
    statusLabel: paymentStatusLabel(row.status as PaymentStatus),
    amount: presentMoney(money.value),
    description: row.description,
    method: { id: row.methodId, displayName: row.methodName, providerId: row.providerId },
    contact: { id: row.contactId, name: row.contactName },
    dealId: row.dealId,
    linkId: row.linkId,
    late: row.late,
    duplicate: row.duplicate,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    metadata: presentMetadata(row.metadata),
    confirmedBy:
      row.confirmedById === null ? null : { id: row.confirmedById, name: row.confirmedByName ?? null },
    confirmedAt: row.confirmedAt?.toISOString() ?? null,
    refundedAmount: presentMoney({ minor: row.refundedMinor, currency: money.value.currency }),
    // The list reads the payment's own total; a payment's detail also subtracts refunds still in flight.
    refundableAmount: presentMoney({
      minor: row.amountMinor - row.refundedMinor,
      currency: money.value.currency,
    }),
    payerEmail: row.payerEmail,
    payerPhone: row.payerPhone,
  };
}
