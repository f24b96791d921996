import type { CurrencyCode, RefundResult } from '@paylinks/core';
import { type PaylinksDb, paymentMethods, payments } from '@paylinks/db';
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';
import { errorFields } from '../logger.js';
import { openMethodCredentials } from '../payment-methods/method-lookup.js';
import {
  claimRefund,
  notRefundable,
  type ProviderAnswer,
  type RefundAsk,
  type RefundRow,
  recordManualRefund,
  recordProviderAnswer,
  staleClaims,
} from './refund-ledger.js';

/** refunded: money is back (or recorded as given back by hand); pending: the provider settles it later. */
export type RefundOutcome = 'refunded' | 'pending';

type Deps = Pick<AppContext, 'db' | 'logger' | 'secretKey' | 'providers'>;

/**
 * Money back to the payer, all of it or a part, several times up to what was paid.
 *
 * A provider's payment: claim (the refund row, `claimed`, reserves the money under the payment's
 * lock), then call the provider outside any transaction with the refund's id as idempotency key,
 * then record its answer. A crash between the call and the record leaves the claim: a retry of the
 * request (same Idempotency-Key) finds it and asks the provider again with the same key, which
 * answers the refund it already made instead of making a second; without a key, the next refund of
 * the payment finishes a claim older than its lease the same way before making its own. A payment
 * the team confirmed by hand was paid outside any provider: its refund is recorded in one transaction.
 */
export async function refundPayment(deps: Deps, ask: RefundAsk): Promise<RefundOutcome> {
  const { db } = deps;
  const [payment] = await db
    .select({ status: payments.status, methodId: payments.methodId, reference: payments.providerReference })
    .from(payments)
    .where(and(eq(payments.workspaceId, ask.workspaceId), eq(payments.id, ask.paymentId)));
  if (!payment) throw notFound('id', 'payment');
  if (payment.status === 'confirmed_by_team_member') {
    await db.transaction((tx) => recordManualRefund(tx, ask, deps.logger));
    return 'refunded';
  }
  if (payment.status !== 'complete') throw notRefundable();
  const loaded = await loadRefundingMethod(deps, db, ask.workspaceId, payment.methodId);
  const reference = payment.reference;
  if (!reference) throw notRefundable();
  // A refund whose request died after claiming it is finished first, so its money is counted right.
  for (const stale of await staleClaims(db, ask.workspaceId, ask.paymentId, ask.now)) {
    const answer = await askProvider(deps, loaded, reference, stale);
    if (answer.kind === 'failed' && answer.error.kind === 'retryable') continue;
    await db.transaction((tx) =>
      recordProviderAnswer(tx, stale, providerAnswer(answer), ask.now, deps.logger),
    );
  }
  const claimed = await db.transaction((tx) =>
    claimRefund(tx, ask, loaded.provider.capabilities.partialRefunds),
  );
  if (claimed.kind === 'done') return outcomeOf(claimed.refund);
  const refund = claimed.refund;

  const answer = await askProvider(deps, loaded, reference, refund);
  if (answer.kind === 'failed' && answer.error.kind === 'retryable') {
    // Unknown whether the provider refunded: the claim stays, and a retry asks again with its key.
    throw new ProblemError(503, {
      code: 'provider_unavailable',
      message: 'The payment provider did not answer. Try the refund again in a moment.',
    });
  }
  const recorded = await db.transaction((tx) =>
    recordProviderAnswer(tx, refund, providerAnswer(answer), ask.now, deps.logger),
  );
  if (answer.kind === 'failed') {
    deps.logger.info('refund refused by the provider', {
      workspaceId: ask.workspaceId,
      paymentId: ask.paymentId,
      kind: answer.error.kind,
      code: answer.error.code,
    });
    throw new ProblemError(422, {
      code: answer.error.kind === 'config' ? 'provider_config' : 'refund_failed',
      message: `The provider refused the refund: ${answer.error.message}`,
    });
  }
  // The provider's own event settled this refund as failed before its answer here was recorded.
  if (recorded.status === 'failed') {
    throw new ProblemError(422, {
      code: 'refund_failed',
      message: 'The provider could not complete the refund; nothing was returned.',
    });
  }
  return outcomeOf(recorded);
}

function outcomeOf(refund: RefundRow): RefundOutcome {
  return refund.status === 'pending' ? 'pending' : 'refunded';
}

type Loaded = Awaited<ReturnType<typeof loadRefundingMethod>>;

async function askProvider(
  deps: Deps,
  loaded: Loaded,
  providerReference: string,
  refund: RefundRow,
): Promise<RefundResult> {
  try {
    return await loaded.provider.refund!({
      providerReference,
      amount: { minor: refund.amountMinor, currency: refund.currency as CurrencyCode },
      idempotencyKey: `refund:${refund.id}`,
      credentials: openMethodCredentials(deps.secretKey, loaded),
      paymentId: refund.paymentId,
      refundId: refund.id,
    });
  } catch (error) {
    deps.logger.error('refund threw', {
      paymentId: refund.paymentId,
      refundId: refund.id,
      ...errorFields(error),
    });
    return { kind: 'failed', error: { kind: 'retryable', message: 'The provider call failed' } };
  }
}

function providerAnswer(result: RefundResult): ProviderAnswer {
  switch (result.kind) {
    case 'refunded':
    case 'pending':
      return { kind: result.kind, providerRefundReference: result.providerRefundReference };
    case 'failed':
      return { kind: 'failed', code: result.error.code ?? result.error.kind };
    default: {
      const unhandled: never = result;
      throw new Error(`Unhandled refund result ${JSON.stringify(unhandled)}`);
    }
  }
}

async function loadRefundingMethod(deps: Deps, db: PaylinksDb, workspaceId: string, methodId: string) {
  const [method] = await db
    .select()
    .from(paymentMethods)
    .where(and(eq(paymentMethods.workspaceId, workspaceId), eq(paymentMethods.id, methodId)));
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
