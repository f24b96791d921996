import { paymentLinks } from '@paylinks/db';
import { and, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { hitRateLimit } from '../http/rate-limit-store.js';
import type { PublicLink } from './public-link.js';

/**
 * Click-throughs stored as payments per link per minute. A link shared with a class or a mailing
 * list sees a few real visits a minute; a script sees hundreds, and each would bury the Payments
 * section under a Processing row.
 */
export const CLICK_THROUGHS_PER_LINK_PER_MINUTE = 30;
const MINUTE_MS = 60_000;

/**
 * Takes one of the link's click-through slots for this minute. Beyond the cap the visit is counted
 * on the link (the team sees how many) and answers false: the caller stores no payment.
 */
export async function takeClickThroughSlot(ctx: AppContext, link: PublicLink, now: Date): Promise<boolean> {
  const { allowed } = await hitRateLimit(ctx.db, {
    bucket: `click-through:link:${link.id}`,
    windowMs: MINUTE_MS,
    limit: CLICK_THROUGHS_PER_LINK_PER_MINUTE,
    now,
  });
  if (allowed) return true;
  // One atomic increment, no lock: the count is for the team's eyes and must not queue visits.
  await ctx.db
    .update(paymentLinks)
    .set({ unrecordedClickThroughs: sql`${paymentLinks.unrecordedClickThroughs} + 1` })
    .where(and(eq(paymentLinks.workspaceId, link.workspaceId), eq(paymentLinks.id, link.id)));
  return false;
}
