import { setTimeout as sleep } from 'node:timers/promises';
import { paymentLinks, selectRows } from '@paylinks/db';
import { and, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';
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

/**
 * One statement: the lease is taken by a conditional UPDATE, whose row lock queues concurrent
 * payers on the link and whose condition PostgreSQL re-checks on the row as the previous holder
 * committed it. "Paid" comes from this statement's snapshot, which can miss a success committed
 * while this statement waited for the row; that success's payer still held the lease then (it
 * is released after the commit), so this payer is answered busy and sees the link paid on the
 * next try.
 */
async function tryHold(
  ctx: AppContext,
  link: PublicLink,
  paymentId: string,
): Promise<'held' | 'paid' | 'busy'> {
  const now = ctx.clock.now();
  const ws = sql`${link.workspaceId}::uuid`;
  const linkId = sql`${link.id}::uuid`;
  const [row] = await selectRows<{ found: boolean; paid: boolean; held: boolean }>(
    ctx.db,
    sql`with paid as (
          select exists (select 1 from payments p where p.workspace_id = ${ws} and p.link_id = ${linkId}
            and p.status in ('complete', 'confirmed_by_team_member')) as v
        ),
        held as (
          update payment_links
          set checkout_lease_payment_id = ${paymentId}::uuid,
            checkout_lease_until = ${new Date(now.getTime() + CHECKOUT_HOLD_MS).toISOString()}::timestamptz
          where workspace_id = ${ws} and id = ${linkId} and not (select v from paid)
            and (checkout_lease_payment_id is null or checkout_lease_payment_id = ${paymentId}::uuid
              or checkout_lease_until is null or checkout_lease_until <= ${now.toISOString()}::timestamptz)
          returning id
        )
        select exists (select 1 from payment_links where workspace_id = ${ws} and id = ${linkId}) as found,
          (select v from paid) as paid, exists (select 1 from held) as held`,
  );
  if (!row?.found) throw notFound('token', 'payment link');
  if (row.paid) return 'paid';
  return row.held ? 'held' : 'busy';
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
