import { isSuccessful } from '@paylinks/core';
import { type PaylinksDb, type PaylinksTransaction, paymentLinks, payments } from '@paylinks/db';
import { and, eq, inArray } from 'drizzle-orm';
import { writePaymentCreatedEvent } from '../events/event-snapshots.js';
import { domainProblem } from '../http/domain-problem.js';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';
import type { Logger } from '../logger.js';
import { type ApplyPaymentEventResult, applyPaymentEventInTransaction } from './apply-payment-event.js';
import { appendPaymentEvent } from './payment-event-log.js';

export interface Confirmation {
  workspaceId: string;
  userId: string;
  note?: string | undefined;
  reference?: string | undefined;
  now: Date;
}

interface Deps {
  db: PaylinksDb;
  logger: Logger;
}

/** A team member's word that the money of a Processing payment arrived. */
export async function confirmPayment(
  deps: Deps,
  paymentId: string,
  confirmation: Confirmation,
): Promise<void> {
  const result = await deps.db.transaction(async (tx) => {
    const applied = await confirmInTransaction(tx, deps.logger, paymentId, confirmation);
    if (applied.kind === 'not_found') throw notFound('id', 'payment');
    return applied;
  });
  // Answered after the commit, so a refused attempt stays in the payment's timeline.
  throwUnlessApplied(result);
}

/**
 * Money received for a link nobody opened (a bank transfer, cash): creates the payment record from
 * the link and confirms it, in one transaction. An expired link is accepted on purpose: the offer
 * ended, but the money arrived and the team says so (the payment is flagged late like any success
 * after expiry). A deleted link is refused (410), and so is a deal link that is already paid (409).
 */
export function confirmLink(deps: Deps, linkId: string, confirmation: Confirmation): Promise<string> {
  return deps.db.transaction(async (tx) => {
    const { workspaceId, now } = confirmation;
    // Locked so two confirmations of one deal link cannot both find it unpaid.
    const [link] = await tx
      .select()
      .from(paymentLinks)
      .where(and(eq(paymentLinks.workspaceId, workspaceId), eq(paymentLinks.id, linkId)))
      .for('update');
    if (!link) throw notFound('linkId', 'payment link');
    if (link.deletedAt !== null) {
      throw new ProblemError(410, {
        code: 'link_deleted',
        field: 'linkId',
        message: 'This link was deleted; it can no longer be confirmed.',
      });
    }
    if (link.origin === 'deal' && (link.removedFromDealAt !== null || (await hasSuccess(tx, link)))) {
      throw new ProblemError(409, {
        code: 'link_already_paid',
        field: 'linkId',
        message: 'This deal link is already paid.',
      });
    }
    const [payment] = await tx
      .insert(payments)
      .values({
        workspaceId,
        linkId: link.id,
        contactId: link.contactId,
        dealId: link.dealId,
        methodId: link.methodId,
        status: 'processing',
        amountMinor: link.amountMinor,
        currency: link.currency,
        description: link.description,
        metadata: link.metadata,
        createdAt: now,
        updatedAt: now,
        statusChangedAt: now,
      })
      .returning();
    await appendPaymentEvent(tx, {
      workspaceId,
      paymentId: payment!.id,
      from: null,
      to: 'processing',
      origin: { source: 'team_member', actor: confirmation.userId },
      payload: { outcome: 'created' },
      at: now,
    });
    await writePaymentCreatedEvent(tx, payment!, now);
    throwUnlessApplied(await confirmInTransaction(tx, deps.logger, payment!.id, confirmation));
    return payment!.id;
  });
}

async function confirmInTransaction(
  tx: PaylinksTransaction,
  logger: Logger,
  paymentId: string,
  confirmation: Confirmation,
): Promise<ApplyPaymentEventResult> {
  return applyPaymentEventInTransaction(
    tx,
    {
      workspaceId: confirmation.workspaceId,
      paymentId,
      status: 'confirmed_by_team_member',
      source: 'team_member',
      actor: confirmation.userId,
      ...(confirmation.note === undefined ? {} : { note: confirmation.note }),
      ...(confirmation.reference === undefined ? {} : { reference: confirmation.reference }),
      now: confirmation.now,
    },
    logger,
  );
}

function throwUnlessApplied(result: ApplyPaymentEventResult): void {
  switch (result.kind) {
    case 'applied':
      return;
    case 'not_found':
      throw notFound('id', 'payment');
    case 'refused':
      throw domainProblem(result.error);
    case 'duplicate':
    case 'stale':
    case 'pending':
      throw new ProblemError(409, {
        code: 'transition_not_allowed',
        field: 'status',
        message: 'Only a Processing payment can be confirmed.',
      });
    default: {
      const unhandled: never = result;
      throw new Error(`Unhandled result ${JSON.stringify(unhandled)}`);
    }
  }
}

async function hasSuccess(tx: PaylinksTransaction, link: { workspaceId: string; id: string }) {
  const rows = await tx
    .select({ status: payments.status })
    .from(payments)
    .where(
      and(
        eq(payments.workspaceId, link.workspaceId),
        eq(payments.linkId, link.id),
        inArray(payments.status, ['complete', 'confirmed_by_team_member']),
      ),
    )
    .limit(1);
  return rows.some((row) => isSuccessful(row.status));
}
