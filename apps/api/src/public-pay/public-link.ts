import { isWellFormedLinkToken, type LinkOrigin, type LinkState, linkState } from '@paylinks/core';
import { type PaylinksExecutor, paymentLinks, paymentMethods } from '@paylinks/db';
import { and, eq } from 'drizzle-orm';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';
import { linkHasSuccessfulPayment } from '../payment-links/payment-link-reads.js';
import { checkoutPaused } from './checkout-budget.js';
import { methodUnavailable } from './method-unavailable.js';

export interface PublicLink {
  id: string;
  workspaceId: string;
  token: string;
  origin: LinkOrigin;
  description: string;
  methodId: string;
  methodName: string;
  methodMode: 'test' | 'live';
  /** The team switched the method off: the link takes no payment until they switch it on again. */
  methodEnabled: boolean;
  providerId: string;
  amountMinor: bigint;
  currency: string;
  expiresAt: Date | null;
  contactId: string;
  dealId: string | null;
  state: LinkState;
  /** Set after too many failed attempts (card testing): no checkout until the team resumes it. */
  checkoutPausedAt: Date | null;
}

/**
 * The link behind a public token, from any workspace: the token is the bearer secret and is
 * globally unique. A malformed or unknown token is 404 (without a lookup when malformed).
 */
export async function findLinkByToken(db: PaylinksExecutor, token: string, now: Date): Promise<PublicLink> {
  if (!isWellFormedLinkToken(token)) throw notFound('token', 'payment link');
  const [row] = await db
    .select({
      id: paymentLinks.id,
      workspaceId: paymentLinks.workspaceId,
      token: paymentLinks.token,
      origin: paymentLinks.origin,
      description: paymentLinks.description,
      methodId: paymentLinks.methodId,
      methodName: paymentMethods.displayName,
      methodMode: paymentMethods.mode,
      methodEnabled: paymentMethods.enabled,
      providerId: paymentMethods.providerId,
      amountMinor: paymentLinks.amountMinor,
      currency: paymentLinks.currency,
      expiresAt: paymentLinks.expiresAt,
      contactId: paymentLinks.contactId,
      dealId: paymentLinks.dealId,
      checkoutPausedAt: paymentLinks.checkoutPausedAt,
      deletedAt: paymentLinks.deletedAt,
      hasSuccessfulPayment: linkHasSuccessfulPayment(db),
    })
    .from(paymentLinks)
    .innerJoin(
      paymentMethods,
      and(
        eq(paymentMethods.workspaceId, paymentLinks.workspaceId),
        eq(paymentMethods.id, paymentLinks.methodId),
      ),
    )
    .where(eq(paymentLinks.token, token))
    .limit(1);
  if (!row) throw notFound('token', 'payment link');
  const { deletedAt, hasSuccessfulPayment, ...link } = row;
  const state = linkState(
    {
      origin: row.origin,
      deletedAt,
      expiresAt: row.expiresAt,
      hasSuccessfulPayment: Boolean(hasSuccessfulPayment),
    },
    now,
  );
  return { ...link, state };
}

const gone: Record<Exclude<LinkState, 'active'>, { code: string; message: string }> = {
  expired: { code: 'link_expired', message: 'This payment link has expired. Ask the sender for a new one.' },
  deleted: { code: 'link_deleted', message: 'This payment link is no longer available.' },
  paid: { code: 'link_paid', message: 'This payment link has already been paid.' },
};

/**
 * Refuses a link that takes no payment now: 410 with the most useful reason when the link itself is
 * done (that holds whatever the method does), else 423 `checkout_paused` while the team has to look
 * at a burst of failed attempts, else 503 `method_unavailable` when its method is off.
 */
export function assertPayable(link: PublicLink): void {
  if (link.state !== 'active') throw new ProblemError(410, gone[link.state]);
  if (link.checkoutPausedAt !== null) throw checkoutPaused();
  if (!link.methodEnabled) throw methodUnavailable();
}
