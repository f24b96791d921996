import { type PaylinksTransaction, paymentLinks, payments } from '@paylinks/db';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { ProblemError } from '../http/problem.js';
import { hitRateLimit } from '../http/rate-limit-store.js';
import { lockLink } from '../payments/payment-lock.js';
import { touchedAt } from '../sync/updated-at.js';
import type { PublicLink } from './public-link.js';

/**
 * Declines one payment may take before the payer is sent back to the sender. A payer with a typo or
 * an empty card tries two or three cards; a card tester tries dozens.
 */
export const MAX_DECLINES_PER_PAYMENT = 3;
/**
 * Failed attempts (declines and invalid cards) per link per hour before the link pauses checkout.
 * Well above what the real payers of one link produce, far below what a card-testing script needs.
 */
export const LINK_FAILED_ATTEMPTS_PER_HOUR = 20;

/**
 * Whether the payer's next attempt goes on this payment: it is still Processing, or a card was
 * declined on our page (the same checkout takes another card until its budget is spent, and then
 * keeps answering too_many_attempts). Anything else — cancelled at the provider, expired, paid — ended
 * that attempt, and coming back to the link starts a new payment.
 */
export function takesAnotherAttempt(payment: { status: string; declinedAttempts: number }): boolean {
  return payment.status === 'processing' || (payment.status === 'cancelled' && payment.declinedAttempts > 0);
}
const HOUR_MS = 3_600_000;

export const pauseReasons = ['too_many_declined_attempts'] as const;
export type CheckoutPauseReason = (typeof pauseReasons)[number];

/** One counter per link, shared by every instance; link ids are not secrets, so no hash is needed. */
export const failedAttemptsBucket = (linkId: string) => `checkout:failed:link:${linkId}`;

export const tooManyAttempts = () =>
  new ProblemError(409, {
    code: 'too_many_attempts',
    field: 'paymentId',
    message: `This payment was declined ${MAX_DECLINES_PER_PAYMENT} times. Contact the sender of the link to pay another way.`,
  });

export const checkoutPaused = () =>
  new ProblemError(423, {
    code: 'checkout_paused',
    message: 'This payment link is not taking payments right now. Contact the sender of the link.',
  });

/**
 * A decline, inside the transaction that applies Cancelled (the link and payment are locked there):
 * the payment spends one of its attempts and the link one of its hourly budget.
 */
export async function spendDeclinedAttempt(
  ctx: AppContext,
  tx: PaylinksTransaction,
  link: PublicLink,
  paymentId: string,
  now: Date,
): Promise<void> {
  await tx
    .update(payments)
    .set({
      declinedAttempts: sql`${payments.declinedAttempts} + 1`,
      updatedAt: touchedAt(payments.updatedAt, now),
    })
    .where(and(eq(payments.workspaceId, link.workspaceId), eq(payments.id, paymentId)));
  await spendLinkBudget(ctx, tx, link, now);
}

/**
 * An attempt refused as invalid (not a test card, malformed card fields, a bad phone): card testers
 * probe with these, so they spend the link's budget, but not the payment's (a payer's typo is not a
 * decline).
 */
export async function spendInvalidAttempt(ctx: AppContext, link: PublicLink, now: Date): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await lockLink(tx, link.workspaceId, link.id);
    await spendLinkBudget(ctx, tx, link, now);
  });
}

/** Counts one failed attempt; the one that uses up the budget pauses the link (its row is locked). */
async function spendLinkBudget(ctx: AppContext, tx: PaylinksTransaction, link: PublicLink, now: Date) {
  const { hits } = await hitRateLimit(tx, {
    bucket: failedAttemptsBucket(link.id),
    windowMs: HOUR_MS,
    limit: LINK_FAILED_ATTEMPTS_PER_HOUR,
    now,
  });
  if (hits < LINK_FAILED_ATTEMPTS_PER_HOUR) return;
  const paused = await tx
    .update(paymentLinks)
    .set({
      checkoutPausedAt: now,
      checkoutPausedReason: 'too_many_declined_attempts' satisfies CheckoutPauseReason,
      updatedAt: touchedAt(paymentLinks.updatedAt, now),
    })
    .where(
      and(
        eq(paymentLinks.workspaceId, link.workspaceId),
        eq(paymentLinks.id, link.id),
        isNull(paymentLinks.checkoutPausedAt),
      ),
    )
    .returning({ id: paymentLinks.id });
  if (paused.length > 0) {
    ctx.logger.info('checkout paused: too many failed attempts on one link', {
      workspaceId: link.workspaceId,
      linkId: link.id,
      failedAttempts: hits,
      windowMs: HOUR_MS,
    });
  }
}
