import type { CurrencyCode } from '@paylinks/core';
import { type PaylinksDb, paymentMethods, payments } from '@paylinks/db';
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';
import { openMethodCredentials } from '../payment-methods/method-lookup.js';
import { type ApplyPaymentEventResult, applyPaymentEvent } from './apply-payment-event.js';

export type RefundOutcome = 'returned' | 'pending';

type Deps = Pick<AppContext, 'db' | 'logger' | 'secretKey' | 'providers'>;

const notRefundable = () =>
  new ProblemError(409, {
    code: 'transition_not_allowed',
    field: 'status',
    message: 'Only a Complete or Confirmed by team member payment can be refunded.',
  });

/**
 * Money back to the payer. A provider's payment is refunded at the provider first (one idempotency
 * key per payment, so a retried request never refunds twice), then marked Returned. A payment the
 * team confirmed by hand was paid outside any provider: the team returns it by hand and says so.
 */
export async function refundPayment(
  deps: Deps,
  caller: { workspaceId: string; userId: string },
  paymentId: string,
  now: Date,
): Promise<RefundOutcome> {
  const { db } = deps;
  const [payment] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.workspaceId, caller.workspaceId), eq(payments.id, paymentId)));
  if (!payment) throw notFound('id', 'payment');
  const markReturned = (payload: Record<string, unknown>) =>
    applyPaymentEvent(
      db,
      {
        workspaceId: caller.workspaceId,
        paymentId,
        status: 'returned',
        source: 'team_member',
        actor: caller.userId,
        payload,
        now,
      },
      deps.logger,
    );

  if (payment.status === 'confirmed_by_team_member') {
    expectReturned(await markReturned({ refund: 'manual' }));
    return 'returned';
  }
  if (payment.status !== 'complete') throw notRefundable();

  const loaded = await loadRefundingMethod(deps, db, payment);
  if (!payment.providerReference) throw notRefundable();
  const result = await loaded.provider.refund!({
    providerReference: payment.providerReference,
    amount: { minor: payment.amountMinor, currency: payment.currency as CurrencyCode },
    idempotencyKey: `refund:${payment.id}`,
    credentials: openMethodCredentials(deps.secretKey, loaded),
  });
  if (result.kind === 'failed') {
    deps.logger.info('refund refused by the provider', {
      workspaceId: caller.workspaceId,
      paymentId,
      kind: result.error.kind,
      code: result.error.code,
    });
    if (result.error.kind === 'retryable') {
      throw new ProblemError(503, {
        code: 'provider_unavailable',
        message: 'The payment provider did not answer. Try the refund again in a moment.',
      });
    }
    throw new ProblemError(422, {
      code: result.error.kind === 'config' ? 'provider_config' : 'refund_failed',
      message: `The provider refused the refund: ${result.error.message}`,
    });
  }
  // Pending: the provider's `returned` webhook finishes it; the payment stays Complete until then.
  if (result.kind === 'pending') return 'pending';
  expectReturned(await markReturned({ providerRefundReference: result.providerRefundReference }));
  return 'returned';
}

async function loadRefundingMethod(deps: Deps, db: PaylinksDb, payment: typeof payments.$inferSelect) {
  const [method] = await db
    .select()
    .from(paymentMethods)
    .where(and(eq(paymentMethods.workspaceId, payment.workspaceId), eq(paymentMethods.id, payment.methodId)));
  const provider = method ? deps.providers.get(method.providerId) : undefined;
  // A disabled method can still refund: the money was taken through it.
  if (!method || !provider?.refund || !provider.capabilities.refunds) {
    throw new ProblemError(422, {
      code: 'refunds_not_supported',
      message: 'This payment method cannot refund from here. Refund it at the provider.',
    });
  }
  return { method, provider };
}

function expectReturned(result: ApplyPaymentEventResult): void {
  // 'duplicate': the provider's own webhook about this refund got there first; the result is the same.
  if (result.kind === 'applied' || result.kind === 'duplicate') return;
  if (result.kind === 'not_found') throw notFound('id', 'payment');
  throw notRefundable();
}
