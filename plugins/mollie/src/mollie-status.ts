import type { PaymentStatus } from '@paylinks/core';
import { type MollieAmount, minorOf } from './mollie-money.js';

/** Mollie's payment statuses (the `status` field of a v2 payment). */
export const mollieStatuses = [
  'open',
  'pending',
  'authorized',
  'paid',
  'failed',
  'canceled',
  'expired',
] as const;

export type MollieStatus = (typeof mollieStatuses)[number];

/**
 * What we observe when we fetch a payment. A refunded or charged-back Mollie payment stays `paid`
 * and only its amounts change, so the observation adds the two states the amounts reveal.
 */
export const mollieObservations = [...mollieStatuses, 'paid_refunded', 'paid_charged_back'] as const;

export type MollieObservation = (typeof mollieObservations)[number];

export type ObservablePayment = {
  status: string;
  amount: MollieAmount;
  amountRefunded?: MollieAmount | undefined;
  amountChargedBack?: MollieAmount | undefined;
};

export function isMollieStatus(status: string): status is MollieStatus {
  return (mollieStatuses as readonly string[]).includes(status);
}

/** Undefined for a status this plugin does not know (Mollie added one): the caller refuses to guess. */
export function observe(payment: ObservablePayment): MollieObservation | undefined {
  if (!isMollieStatus(payment.status)) return undefined;
  if (payment.status !== 'paid') return payment.status;
  const currency = payment.amount.currency;
  const charged = minorOf(payment.amount, currency);
  // Core has no partly returned status: only money fully given back makes the payment Returned.
  if (charged > 0n && minorOf(payment.amountChargedBack, currency) >= charged) return 'paid_charged_back';
  if (charged > 0n && minorOf(payment.amountRefunded, currency) >= charged) return 'paid_refunded';
  return 'paid';
}

export function toPaymentStatus(observation: MollieObservation): PaymentStatus {
  switch (observation) {
    // Created, or the payer is on Mollie's page; pending: started, the method has not answered yet;
    // authorized: reserved (Klarna, card with manual capture), not yet captured.
    case 'open':
    case 'pending':
    case 'authorized':
      return 'processing';
    case 'paid':
      return 'complete';
    case 'paid_refunded':
    case 'paid_charged_back':
      return 'returned';
    // All three are final at Mollie: a new attempt is a new payment.
    case 'failed':
    case 'canceled':
    case 'expired':
      return 'cancelled';
    default:
      return unreachable(observation);
  }
}

function unreachable(observation: never): never {
  throw new Error(`Unhandled Mollie observation ${String(observation)}`);
}
