import { type PaylinksExecutor, paymentLinks, paymentMethods, payments } from '@paylinks/db';
import { and, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { errorFields } from '../logger.js';
import { openMethodCredentials } from '../payment-methods/method-lookup.js';
import { applyPaymentEvent } from './apply-payment-event.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'logger' | 'secretKey' | 'providers'>;

/** Which checkouts to look at: one link's (right after it was paid), or every workspace's (the sweep). */
export type SupersededScope = { workspaceId: string; linkId: string } | 'all';

const BATCH = 50;

/**
 * One charge per deal link: once a payment of the link succeeded, the link's other checkouts that a
 * payer could still finish are closed at the provider. Each is claimed first (checkout_closed_at,
 * one committed UPDATE) so one instance asks the provider; the provider is asked outside any
 * transaction; a Processing payment whose checkout closed becomes Cancelled through the one apply
 * path. A checkout the payer had already paid stays as it is: its success arrives as an event and
 * is flagged duplicate (payment-side-effects.ts). Returns how many checkouts were closed.
 */
export async function closeSupersededCheckouts(deps: Deps, scope: SupersededScope): Promise<number> {
  const claimed = await claimSuperseded(deps.db, scope, deps.clock.now());
  let closed = 0;
  for (const payment of claimed) {
    if (await closeOne(deps, payment)) closed += 1;
  }
  return closed;
}

type Claimed = Awaited<ReturnType<typeof claimSuperseded>>[number];

function claimSuperseded(db: PaylinksExecutor, scope: SupersededScope, now: Date) {
  const paidDealLinks = db
    .select({ id: paymentLinks.id })
    .from(paymentLinks)
    .where(
      and(
        eq(paymentLinks.origin, 'deal'),
        isNotNull(paymentLinks.removedFromDealAt),
        ...(scope === 'all'
          ? []
          : [eq(paymentLinks.workspaceId, scope.workspaceId), eq(paymentLinks.id, scope.linkId)]),
      ),
    );
  const candidates = db
    .select({ id: payments.id })
    .from(payments)
    .where(
      and(
        inArray(payments.linkId, paidDealLinks),
        inArray(payments.status, ['processing', 'cancelled']),
        isNotNull(payments.providerReference),
        isNull(payments.checkoutClosedAt),
        ...(scope === 'all' ? [] : [eq(payments.workspaceId, scope.workspaceId)]),
      ),
    )
    .limit(BATCH)
    .for('update', { skipLocked: true });
  return db
    .update(payments)
    .set({ checkoutClosedAt: now })
    .where(inArray(payments.id, candidates))
    .returning({
      id: payments.id,
      workspaceId: payments.workspaceId,
      methodId: payments.methodId,
      status: payments.status,
      providerReference: payments.providerReference,
    });
}

async function closeOne(deps: Deps, payment: Claimed): Promise<boolean> {
  const [method] = await deps.db
    .select()
    .from(paymentMethods)
    .where(and(eq(paymentMethods.workspaceId, payment.workspaceId), eq(paymentMethods.id, payment.methodId)));
  const provider = method ? deps.providers.get(method.providerId) : undefined;
  if (!method || !provider?.cancelCheckout || payment.providerReference === null) return false;
  const facts = { workspaceId: payment.workspaceId, paymentId: payment.id, provider: provider.id };
  let result: Awaited<ReturnType<NonNullable<typeof provider.cancelCheckout>>>;
  try {
    result = await provider.cancelCheckout({
      providerReference: payment.providerReference,
      credentials: openMethodCredentials(deps.secretKey, { method, provider }),
    });
  } catch (error) {
    result = { kind: 'failed', error: { kind: 'retryable', message: 'cancelCheckout threw' } };
    deps.logger.error('closing a superseded checkout threw', { ...facts, ...errorFields(error) });
  }
  switch (result.kind) {
    case 'cancelled':
      if (payment.status === 'processing') {
        await applyPaymentEvent(
          deps.db,
          {
            workspaceId: payment.workspaceId,
            paymentId: payment.id,
            status: 'cancelled',
            source: 'system',
            actor: provider.id,
            payload: { checkoutClosed: 'link_paid_by_another_payment' },
            now: deps.clock.now(),
          },
          deps.logger,
        );
      }
      return true;
    case 'already_paid':
      return false;
    case 'failed':
      if (result.error.kind === 'retryable') await unclaim(deps.db, payment);
      deps.logger.error('could not close a superseded checkout', { ...facts, kind: result.error.kind });
      return false;
    default: {
      const unhandled: never = result;
      throw new Error(`Unhandled cancel result ${JSON.stringify(unhandled)}`);
    }
  }
}

/** A provider that could not answer now gets asked again by the next sweep. */
function unclaim(db: PaylinksExecutor, payment: Claimed) {
  return db
    .update(payments)
    .set({ checkoutClosedAt: null })
    .where(and(eq(payments.workspaceId, payment.workspaceId), eq(payments.id, payment.id)));
}
