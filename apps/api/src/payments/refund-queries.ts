import { createMoney } from '@paylinks/core';
import { type PaylinksExecutor, refunds, user } from '@paylinks/db';
import { and, asc, eq, sql } from 'drizzle-orm';
import { presentMoney } from '../http/money-schema.js';
import { providerActor } from './refund-provider-report.js';

/** A payment's refunds, oldest first, with the team member's name, and what is left to refund. */
export async function loadRefunds(
  db: PaylinksExecutor,
  payment: { workspaceId: string; id: string; amountMinor: bigint; currency: string },
) {
  const rows = await db
    .select({ refund: refunds, createdByName: user.name })
    .from(refunds)
    .leftJoin(user, sql`${user.id}::text = ${refunds.createdBy}`)
    .where(and(eq(refunds.workspaceId, payment.workspaceId), eq(refunds.paymentId, payment.id)))
    .orderBy(asc(refunds.createdAt), asc(refunds.id));
  const money = (minor: bigint) => {
    const value = createMoney(minor, payment.currency);
    if (!value.ok) throw new Error(`Payment ${payment.id} has an invalid refund amount`);
    return presentMoney(value.value);
  };
  const committed = rows
    .filter(({ refund }) => refund.status !== 'failed')
    .reduce((sum, { refund }) => sum + refund.amountMinor, 0n);
  return {
    refundableAmount: money(payment.amountMinor - committed),
    refunds: rows.map(({ refund, createdByName }) => ({
      id: refund.id,
      amount: money(refund.amountMinor),
      reason: refund.reason,
      status: refund.status,
      // A refund made in the provider's dashboard has no reference of ours either, but no team member.
      manual:
        refund.status === 'succeeded' &&
        refund.providerRefundReference === null &&
        !refund.createdBy.startsWith(providerActor('')),
      providerRefundReference: refund.providerRefundReference,
      createdBy: { id: refund.createdBy, name: createdByName ?? null },
      createdAt: refund.createdAt.toISOString(),
    })),
  };
}
