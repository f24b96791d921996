import { paymentLinks, rateLimitHits } from '@paylinks/db';
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import type { Caller } from '../auth/caller.js';
import { lockLink } from '../payments/payment-lock.js';
import { failedAttemptsBucket } from '../public-pay/checkout-budget.js';
import { touchedAt } from '../sync/updated-at.js';

/**
 * The team resumes checkout on a link paused after too many failed attempts. The link's counter
 * starts again from zero, so the next decline is a decline and not an instant second pause.
 */
export async function resumeLinkCheckout(
  ctx: AppContext,
  caller: Caller,
  linkId: string,
): Promise<'resumed' | 'not_paused' | 'not_found'> {
  const { workspaceId } = caller;
  const outcome = await ctx.db.transaction(async (tx) => {
    const locked = await lockLink(tx, workspaceId, linkId);
    if (!locked) return 'not_found' as const;
    if (locked.checkoutPausedAt === null) return 'not_paused' as const;
    await tx
      .update(paymentLinks)
      .set({
        checkoutPausedAt: null,
        checkoutPausedReason: null,
        updatedAt: touchedAt(paymentLinks.updatedAt, ctx.clock.now()),
      })
      .where(and(eq(paymentLinks.workspaceId, workspaceId), eq(paymentLinks.id, linkId)));
    await tx.delete(rateLimitHits).where(eq(rateLimitHits.bucket, failedAttemptsBucket(linkId)));
    return 'resumed' as const;
  });
  if (outcome === 'resumed') ctx.logger.info('checkout resumed', { workspaceId, linkId, by: caller.userId });
  return outcome;
}
