import type { NormalisedPaymentEvent, ProviderError, Result, SettledRefund } from '@paylinks/core';
import { fromMollieAmount, type MollieAmount } from './mollie-money.js';
import { type MollieObservation, observe, toPaymentStatus } from './mollie-status.js';

/** The fields of a fetched Mollie payment this plugin reads; the SDK's Payment has them all. */
export type FetchedPayment = {
  id: string;
  status: string;
  amount: MollieAmount;
  amountRefunded?: MollieAmount | undefined;
  amountChargedBack?: MollieAmount | undefined;
  metadata: unknown;
  isCancelable?: boolean;
  createdAt: string;
  paidAt?: string | undefined;
  canceledAt?: string | undefined;
  expiredAt?: string | undefined;
  failedAt?: string | undefined;
  authorizedAt?: string | undefined;
  /** Present when fetched with `embed=refunds` and the payment has refunds. */
  _embedded?: { refunds?: readonly { id: string; status: string }[] | undefined } | undefined;
};

/** Set on every payment this plugin creates; a payment without it is not ours to report. */
export const PAYMENT_ID_METADATA_KEY = 'paylinksPaymentId';

export function paylinksPaymentIdOf(payment: Pick<FetchedPayment, 'metadata'>): string | undefined {
  const { metadata } = payment;
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const value = (metadata as Record<string, unknown>)[PAYMENT_ID_METADATA_KEY];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Stable per payment and observed state: Mollie redelivering the same state deduplicates, a later
 * change (paid, then refunded) is a new event. Mollie's webhooks carry no event id of their own.
 * A payment stays `paid` through partial refunds, so the total refunded is part of the state.
 */
export function eventIdOf(
  paymentId: string,
  observation: MollieObservation,
  payment: Pick<FetchedPayment, 'amountRefunded' | '_embedded'> = {},
): string {
  const refunded = payment.amountRefunded;
  const settled = settledRefundsOf(payment).length;
  return [
    `${paymentId}:${observation}`,
    ...(refunded && !/^0*(\.0*)?$/.test(refunded.value) ? [`refunded:${refunded.value}`] : []),
    // A pending refund that settles changes no amount (a failed one does): its count marks the state.
    ...(settled > 0 ? [`settled:${settled}`] : []),
  ].join(':');
}

/**
 * The payment's refunds that have their final word (refunded, or failed or canceled: nothing
 * returned). Queued, pending and processing ones are still what refund() answered.
 */
export function settledRefundsOf(payment: Pick<FetchedPayment, '_embedded'>): SettledRefund[] {
  const settled: SettledRefund[] = [];
  for (const refund of payment._embedded?.refunds ?? []) {
    if (refund.status === 'refunded') {
      settled.push({ status: 'succeeded', providerRefundReference: refund.id });
    } else if (refund.status === 'failed' || refund.status === 'canceled') {
      settled.push({ status: 'failed', providerRefundReference: refund.id });
    }
  }
  return settled;
}

export type ObservedPayment = { observation: MollieObservation; event: NormalisedPaymentEvent };

export function toObservedPayment(
  payment: FetchedPayment,
  now: Date,
): Result<ObservedPayment, ProviderError> {
  const observation = observe(payment);
  if (!observation) {
    return {
      ok: false,
      error: {
        kind: 'invalid',
        code: 'unknown_status',
        message: `Unknown Mollie status ${payment.status.slice(0, 32)}`,
      },
    };
  }
  const amount = fromMollieAmount(payment.amount);
  if (!amount) {
    return {
      ok: false,
      error: { kind: 'invalid', code: 'unreadable_amount', message: 'The amount is not in Mollie’s format' },
    };
  }
  const paymentId = paylinksPaymentIdOf(payment);
  // Mollie's total counts every refund of the payment, the dashboard's as well as ours.
  const refundedAmount = fromMollieAmount(payment.amountRefunded);
  const settledRefunds = settledRefundsOf(payment);
  const event: NormalisedPaymentEvent = {
    status: toPaymentStatus(observation),
    providerReference: payment.id,
    amount,
    occurredAt: occurredAt(payment, observation, now),
    ...(paymentId === undefined ? {} : { paymentId }),
    ...(refundedAmount ? { refundedAmount } : {}),
    ...(settledRefunds.length > 0 ? { settledRefunds } : {}),
  };
  return { ok: true, value: { observation, event } };
}

function occurredAt(payment: FetchedPayment, observation: MollieObservation, now: Date): Date {
  const stamp = (() => {
    switch (observation) {
      case 'open':
      case 'pending':
        return payment.createdAt;
      case 'authorized':
        return payment.authorizedAt;
      case 'paid':
        return payment.paidAt;
      case 'failed':
        return payment.failedAt;
      case 'canceled':
        return payment.canceledAt;
      case 'expired':
        return payment.expiredAt;
      // A refund or chargeback leaves no time on the payment itself: we learn of it now.
      case 'paid_refunded':
      case 'paid_charged_back':
        return undefined;
      default:
        return unreachable(observation);
    }
  })();
  const parsed = stamp === undefined ? Number.NaN : Date.parse(stamp);
  return Number.isNaN(parsed) ? now : new Date(parsed);
}

function unreachable(observation: never): never {
  throw new Error(`Unhandled Mollie observation ${String(observation)}`);
}
