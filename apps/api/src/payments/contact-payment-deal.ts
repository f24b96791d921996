import { deals, type PaylinksTransaction, payments, pipelineStages, pipelines } from '@paylinks/db';
import { and, asc, eq } from 'drizzle-orm';

/**
 * A contact-origin payment gets a deal of its own when it is paid (DESIGN: the workspace's default
 * pipeline, first stage), so the payment and its data live on that deal. Returns the deal id, or
 * null when the workspace has no default pipeline with a stage.
 */
export async function createDealForPayment(
  tx: PaylinksTransaction,
  payment: {
    workspaceId: string;
    id: string;
    contactId: string;
    description: string;
    amountMinor: bigint;
    currency: string;
  },
  now: Date,
): Promise<string | null> {
  const { workspaceId } = payment;
  const [stage] = await tx
    .select({ pipelineId: pipelines.id, stageId: pipelineStages.id })
    .from(pipelines)
    .innerJoin(
      pipelineStages,
      and(eq(pipelineStages.workspaceId, pipelines.workspaceId), eq(pipelineStages.pipelineId, pipelines.id)),
    )
    .where(and(eq(pipelines.workspaceId, workspaceId), eq(pipelines.isDefault, true)))
    .orderBy(asc(pipelineStages.position))
    .limit(1);
  if (!stage) return null;
  const [deal] = await tx
    .insert(deals)
    .values({
      workspaceId,
      title: payment.description,
      contactId: payment.contactId,
      pipelineId: stage.pipelineId,
      stageId: stage.stageId,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: deals.id });
  await tx
    .update(payments)
    .set({ dealId: deal!.id, updatedAt: now })
    .where(and(eq(payments.workspaceId, workspaceId), eq(payments.id, payment.id)));
  return deal!.id;
}
