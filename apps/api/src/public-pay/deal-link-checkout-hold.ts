import { setTimeout as sleep } from 'node:timers/promises';
import { paymentLinks } from '@paylinks/db';
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';
import { linkHasSuccessfulPayment } from '../payment-links/payment-link-reads.js';
import { lockLink } from '../payments/payment-lock.js';
import type { PublicLink } from './public-link.js';

/** Outlives any provider call (their clients time out well before), so a crashed holder frees the link. */
export const CHECKOUT_HOLD_MS = 30_000;
/** How long a second payer waits for the first one's answer before being asked to retry. */
const WAIT_FOR_HOLDER_MS = 10_000;
const WAIT_STEP_MS = 100;

export type ReleaseHold = () => Promise<void>;

/**
 * A deal link is charged at most once. While one payer's checkout is at the provider, that payment
 * holds the link (a short lease in the link's row, committed, so every instance sees it and no
 * transaction stays open during the provider call). Another payer of the same link waits for the
 * answer: once the link is paid they get 410 link_paid without reaching the provider; if the first
 * attempt failed, they take the hold and pay. Contact links take any number of payments.
 */
export async function holdDealLinkForCheckout(
  ctx: AppContext,
  link: PublicLink,
  paymentId: string,
): Promise<ReleaseHold> {
  if (link.origin !== 'deal') return async () => {};
  const giveUpAt = performance.now() + WAIT_FOR_HOLDER_MS;
  for (;;) {
    const outcome = await tryHold(ctx, link, paymentId);
    if (outcome === 'held') return () => release(ctx, link, paymentId);
    if (outcome === 'paid') {
      throw new ProblemError(410, { code: 'link_paid', message: 'This payment link has already been paid.' });
    }
    if (performance.now() > giveUpAt) {
      throw new ProblemError(409, {
        code: 'checkout_in_progress',
        message: 'Another payment for this link is being processed. Try again in a moment.',
      });
    }
    await sleep(WAIT_STEP_MS);
  }
}

function tryHold(ctx: AppContext, link: PublicLink, paymentId: string): Promise<'held' | 'paid' | 'busy'> {
  return ctx.db.transaction(async (tx) => {
    const locked = await lockLink(tx, link.workspaceId, link.id);
    const ofLink = and(eq(paymentLinks.workspaceId, link.workspaceId), eq(paymentLinks.id, link.id));
    const [paid] = await tx
      .select({ paid: linkHasSuccessfulPayment(tx) })
      .from(paymentLinks)
      .where(ofLink);
    if (!locked) throw notFound('token', 'payment link');
    if (paid?.paid) return 'paid';
    const now = ctx.clock.now();
    const heldByAnother =
      locked.checkoutLeasePaymentId !== null &&
      locked.checkoutLeasePaymentId !== paymentId &&
      locked.checkoutLeaseUntil !== null &&
      locked.checkoutLeaseUntil > now;
    if (heldByAnother) return 'busy';
    await tx
      .update(paymentLinks)
      .set({
        checkoutLeasePaymentId: paymentId,
        checkoutLeaseUntil: new Date(now.getTime() + CHECKOUT_HOLD_MS),
      })
      .where(ofLink);
    return 'held';
  });
}

async function release(ctx: AppContext, link: PublicLink, paymentId: string): Promise<void> {
  await ctx.db
    .update(paymentLinks)
    .set({ checkoutLeasePaymentId: null, checkoutLeaseUntil: null })
    .where(
      and(
        eq(paymentLinks.workspaceId, link.workspaceId),
        eq(paymentLinks.id, link.id),
        eq(paymentLinks.checkoutLeasePaymentId, paymentId),
      ),
    );
}
