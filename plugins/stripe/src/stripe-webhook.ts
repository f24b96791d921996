import type { Money, WebhookInput, WebhookPaymentEvent, WebhookResult } from '@paylinks/core';
import Stripe from 'stripe';
import type { StripeCredentials } from './stripe-credentials.js';
import { ourPaymentId, ourRefundId, refundsInFull } from './stripe-metadata.js';
import { fromStripeAmount } from './stripe-money.js';
import { type StripeSignal, signalToPaymentStatus } from './stripe-status.js';

export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';
/** Stripe's own default (the SDK's DEFAULT_TOLERANCE): five minutes. */
export const DEFAULT_WEBHOOK_TOLERANCE_MS = 300_000;

type StripeObject = Record<string, unknown>;

/** The signal an event carries and the object it is about, or why we have nothing to do with it. */
type Classified =
  | {
      kind: 'signal';
      signal: StripeSignal;
      reference: string;
      amount: Money | undefined;
      paymentId: string;
      refunds?: Pick<WebhookPaymentEvent, 'refundedAmount' | 'settledRefunds'>;
    }
  | { kind: 'ignored'; reason: string };

const rejected = (code: string, message: string): WebhookResult => ({
  kind: 'rejected',
  error: { kind: 'invalid', code, message },
});

/** The `t=` of a Stripe-Signature header, in seconds. */
function signedAtSeconds(header: string): number | undefined {
  const t = header
    .split(',')
    .map((part) => part.split('='))
    .find(([name]) => name === 't')?.[1];
  const seconds = t === undefined ? Number.NaN : Number(t);
  return Number.isSafeInteger(seconds) ? seconds : undefined;
}

export function parseStripeWebhook(
  input: WebhookInput<StripeCredentials>,
  toleranceMs = DEFAULT_WEBHOOK_TOLERANCE_MS,
): WebhookResult {
  const header = input.headers[STRIPE_SIGNATURE_HEADER];
  if (!header) return rejected('no_signature', 'The Stripe-Signature header is missing');
  const secret = input.credentials?.webhookSecret;
  if (typeof secret !== 'string') return rejected('no_webhook_secret', 'The method has no signing secret');
  // The SDK only refuses old signatures; one from the future is as suspect, so it is checked here.
  const signedAt = signedAtSeconds(header);
  if (signedAt === undefined) return rejected('bad_signature', 'The Stripe-Signature header has no time');
  if (signedAt * 1000 - input.now.getTime() > toleranceMs) {
    return rejected('bad_signature', 'The webhook is signed in the future');
  }
  let event: Stripe.Event;
  try {
    // Accepts any of several v1 signatures, as Stripe sends during a secret's rotation.
    event = Stripe.webhooks.constructEvent(
      input.rawBody,
      header,
      secret,
      Math.floor(toleranceMs / 1000),
      undefined,
      input.now.getTime(),
    );
  } catch {
    // The SDK's message quotes the header; only the fact is kept.
    return rejected('bad_signature', 'The Stripe signature does not match or is too old');
  }
  const classified = classify(event);
  if (classified.kind === 'ignored') return classified;
  const webhookEvent: WebhookPaymentEvent = {
    status: signalToPaymentStatus(classified.signal),
    providerEventId: event.id,
    providerReference: classified.reference,
    paymentId: classified.paymentId,
    occurredAt: new Date(event.created * 1000),
    ...(classified.amount ? { amount: classified.amount } : {}),
    ...classified.refunds,
  };
  return { kind: 'events', events: [webhookEvent] };
}

function classify(event: Stripe.Event): Classified {
  const object = event.data.object as unknown as StripeObject;
  const paymentId = ourPaymentId(object.metadata);
  if (paymentId === undefined)
    return { kind: 'ignored', reason: `${event.type} for an object we did not create` };
  const signal = signalOf(event.type, object);
  if (typeof signal !== 'string') return signal;
  const id = String(object.id);
  switch (signal) {
    case 'checkout.session.completed.paid':
    case 'checkout.session.completed.unpaid':
    case 'checkout.session.async_payment_succeeded':
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired':
      return { kind: 'signal', signal, reference: id, paymentId, amount: amountOf(object, 'amount_total') };
    // Intents, charges and refunds do not know their session: our payment id finds the payment.
    case 'payment_intent.payment_failed':
      return { kind: 'signal', signal, reference: id, paymentId, amount: amountOf(object, 'amount') };
    case 'charge.refunded':
    case 'charge.refunded.partly': {
      // The charge's total refunded, ours and the dashboard's alike: the app records the difference.
      const refundedAmount = fromStripeAmount(object.amount_refunded, object.currency);
      return {
        kind: 'signal',
        signal,
        reference: intentOf(object, id),
        paymentId,
        amount: amountOf(object, 'amount'),
        ...(refundedAmount ? { refunds: { refundedAmount } } : {}),
      };
    }
    // A refund knows only its own amount, which is not the payment's: no amount to compare.
    case 'charge.refund.updated.succeeded':
    case 'charge.refund.updated.settled': {
      const refundId = ourRefundId(object.metadata);
      return {
        kind: 'signal',
        signal,
        reference: intentOf(object, id),
        paymentId,
        amount: undefined,
        refunds: {
          settledRefunds: [
            {
              status: object.status === 'succeeded' ? 'succeeded' : 'failed',
              providerRefundReference: id,
              ...(refundId ? { refundId } : {}),
            },
          ],
        },
      };
    }
    default: {
      const unhandled: never = signal;
      throw new Error(`Unhandled Stripe signal ${String(unhandled)}`);
    }
  }
}

function signalOf(type: string, object: StripeObject): StripeSignal | { kind: 'ignored'; reason: string } {
  const ignored = (reason: string) => ({ kind: 'ignored' as const, reason });
  switch (type) {
    case 'checkout.session.completed':
      return object.payment_status === 'paid'
        ? 'checkout.session.completed.paid'
        : 'checkout.session.completed.unpaid';
    case 'checkout.session.async_payment_succeeded':
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired':
    case 'payment_intent.payment_failed':
      return type;
    case 'charge.refunded':
      // Stripe sends it for partial refunds too: only a charge refunded in full returns the payment
      // (`refunded`, or amount_refunded reaching the amount); a part leaves it paid.
      return object.refunded === true ||
        (typeof object.amount === 'number' &&
          typeof object.amount_refunded === 'number' &&
          object.amount_refunded >= object.amount)
        ? 'charge.refunded'
        : 'charge.refunded.partly';
    // Newer API versions send refund.updated beside charge.refund.updated, for the same change.
    case 'charge.refund.updated':
    case 'refund.updated':
      // Only the final word matters: pending and requires_action are what refund() already answered.
      if (object.status === 'succeeded') {
        // A refund knows only its own amount: ours say in their metadata whether they complete the payment's.
        return refundsInFull(object.metadata)
          ? 'charge.refund.updated.succeeded'
          : 'charge.refund.updated.settled';
      }
      return object.status === 'failed' || object.status === 'canceled'
        ? 'charge.refund.updated.settled'
        : ignored(`A refund now ${String(object.status)}`);
    default:
      return ignored(`Event type ${type}`);
  }
}

function intentOf(object: StripeObject, id: string): string {
  return typeof object.payment_intent === 'string' ? object.payment_intent : id;
}

function amountOf(object: StripeObject, field: 'amount' | 'amount_total'): Money | undefined {
  return fromStripeAmount(object[field], object.currency);
}
