import { isExpired, isSuccessful, type PaymentStatus, shouldRemoveLinkAfterPayment } from '@paylinks/core';
import { deals, type PaylinksTransaction, paymentLinks, payments, stageAutomations } from '@paylinks/db';
import { and, eq, inArray, ne } from 'drizzle-orm';
import { paymentTypeOf } from '../payment-types/installed-payment-types.js';
import type { LockedLink } from './payment-lock.js';

export interface SideEffects {
  linkRemovedFromDeal: boolean;
  /** The stage the deal moved to, or null when it stayed where it was. */
  dealMovedToStageId: string | null;
  late: boolean;
  /** A second success on a deal link another payment had already paid: a double charge to refund. */
  duplicate: boolean;
}

interface PaymentFacts {
  id: string;
  workspaceId: string;
  linkId: string;
  dealId: string | null;
  isDuplicate: boolean;
}

/**
 * What a status change does beyond the status itself, in the caller's transaction, which already
 * holds the link's lock (payment-lock.ts): a paid deal link leaves the deal, the deal follows its
 * pipeline's automation, and a success on a link that is no longer payable is flagged for the team
 * (late after expiry or deletion, duplicate when the deal link was already paid), never dropped.
 */
export async function runSideEffects(
  tx: PaylinksTransaction,
  payment: PaymentFacts,
  link: LockedLink,
  to: PaymentStatus,
  now: Date,
): Promise<SideEffects> {
  const { workspaceId } = payment;
  const succeeded = isSuccessful(to);

  const duplicate = succeeded && link.origin === 'deal' && (await linkPaidByAnother(tx, payment));
  let linkRemovedFromDeal = false;
  if (link.removedFromDealAt === null && shouldRemoveLinkAfterPayment(link.origin, to)) {
    await tx
      .update(paymentLinks)
      .set({ removedFromDealAt: now })
      .where(and(eq(paymentLinks.workspaceId, workspaceId), eq(paymentLinks.id, payment.linkId)));
    link.removedFromDealAt = now;
    linkRemovedFromDeal = true;
  }

  const late = succeeded && (link.deletedAt !== null || isExpired(link.expiresAt, now));
  if (late || duplicate) {
    await tx
      .update(payments)
      .set({ ...(late ? { isLate: true } : {}), ...(duplicate ? { isDuplicate: true } : {}) })
      .where(and(eq(payments.workspaceId, workspaceId), eq(payments.id, payment.id)));
  }

  // A double charge grants nothing more (it is refunded), and neither does its refund take away.
  if (!duplicate && !payment.isDuplicate) await runTypeHooks(tx, payment, link, to, now);

  // A double charge says nothing new about the deal, and neither does its refund.
  const dealMovedToStageId =
    payment.dealId === null || duplicate || payment.isDuplicate
      ? null
      : await followStageAutomation(tx, workspaceId, payment.dealId, to, now);
  return { linkRemovedFromDeal, dealMovedToStageId, late, duplicate };
}

/** The link's payment-type plugin (EDU: enroll, revoke), in this same transaction. */
async function runTypeHooks(
  tx: PaylinksTransaction,
  payment: PaymentFacts,
  link: LockedLink,
  to: PaymentStatus,
  now: Date,
): Promise<void> {
  if (link.type === 'custom') return;
  const type = paymentTypeOf(link.type);
  if (!type) return;
  const facts = {
    workspaceId: payment.workspaceId,
    paymentId: payment.id,
    linkId: payment.linkId,
    contactId: link.contactId,
    status: to,
    at: now,
    typeData: (link.typeOption ?? {}) as Record<string, unknown>,
  };
  if (isSuccessful(to)) await type.onPaymentSucceeded?.(tx, facts);
  else if (to === 'returned') await type.onPaymentReturned?.(tx, facts);
}

async function linkPaidByAnother(tx: PaylinksTransaction, payment: PaymentFacts): Promise<boolean> {
  const others = await tx
    .select({ id: payments.id })
    .from(payments)
    .where(
      and(
        eq(payments.workspaceId, payment.workspaceId),
        eq(payments.linkId, payment.linkId),
        ne(payments.id, payment.id),
        inArray(payments.status, ['complete', 'confirmed_by_team_member']),
      ),
    )
    .limit(1);
  return others.length > 0;
}

async function followStageAutomation(
  tx: PaylinksTransaction,
  workspaceId: string,
  dealId: string,
  status: PaymentStatus,
  now: Date,
): Promise<string | null> {
  // Locked so two payments on one deal settling at once cannot both "move" it.
  const [deal] = await tx
    .select({ pipelineId: deals.pipelineId, stageId: deals.stageId })
    .from(deals)
    .where(and(eq(deals.workspaceId, workspaceId), eq(deals.id, dealId)))
    .for('update');
  if (!deal) return null;
  const [automation] = await tx
    .select({ targetStageId: stageAutomations.targetStageId })
    .from(stageAutomations)
    .where(
      and(
        eq(stageAutomations.workspaceId, workspaceId),
        eq(stageAutomations.pipelineId, deal.pipelineId),
        eq(stageAutomations.status, status),
      ),
    );
  if (!automation || automation.targetStageId === deal.stageId) return null;
  await tx
    .update(deals)
    .set({ stageId: automation.targetStageId, updatedAt: now })
    .where(and(eq(deals.workspaceId, workspaceId), eq(deals.id, dealId)));
  return automation.targetStageId;
}
