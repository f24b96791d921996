import { isExpired, isSuccessful, type PaymentStatus, shouldRemoveLinkAfterPayment } from '@paylinks/core';
import { deals, type PaylinksTransaction, paymentLinks, payments, stageAutomations } from '@paylinks/db';
import { and, eq } from 'drizzle-orm';

export interface SideEffects {
  linkRemovedFromDeal: boolean;
  /** The stage the deal moved to, or null when it stayed where it was. */
  dealMovedToStageId: string | null;
  late: boolean;
}

interface PaymentFacts {
  id: string;
  workspaceId: string;
  linkId: string;
  dealId: string | null;
}

/**
 * What a status change does beyond the status itself, in the caller's transaction: a paid deal
 * link leaves the deal, the deal follows its pipeline's automation, and a success on a link that
 * is no longer payable is flagged as late for the team (recorded, never dropped).
 */
export async function runSideEffects(
  tx: PaylinksTransaction,
  payment: PaymentFacts,
  to: PaymentStatus,
  now: Date,
): Promise<SideEffects> {
  const { workspaceId } = payment;
  const [link] = await tx
    .select({
      origin: paymentLinks.origin,
      expiresAt: paymentLinks.expiresAt,
      deletedAt: paymentLinks.deletedAt,
      removedFromDealAt: paymentLinks.removedFromDealAt,
    })
    .from(paymentLinks)
    .where(and(eq(paymentLinks.workspaceId, workspaceId), eq(paymentLinks.id, payment.linkId)))
    .for('update');

  let linkRemovedFromDeal = false;
  if (link && link.removedFromDealAt === null && shouldRemoveLinkAfterPayment(link.origin, to)) {
    await tx
      .update(paymentLinks)
      .set({ removedFromDealAt: now })
      .where(and(eq(paymentLinks.workspaceId, workspaceId), eq(paymentLinks.id, payment.linkId)));
    linkRemovedFromDeal = true;
  }

  let late = false;
  if (link && isSuccessful(to) && (link.deletedAt !== null || isExpired(link.expiresAt, now))) {
    await tx
      .update(payments)
      .set({ isLate: true })
      .where(and(eq(payments.workspaceId, workspaceId), eq(payments.id, payment.id)));
    late = true;
  }

  const dealMovedToStageId =
    payment.dealId === null ? null : await followStageAutomation(tx, workspaceId, payment.dealId, to, now);
  return { linkRemovedFromDeal, dealMovedToStageId, late };
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
