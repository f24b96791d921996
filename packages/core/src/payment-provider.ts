import type { z } from 'zod';
import type { PaymentEvent } from './apply-payment-event.js';
import type { CurrencyCode } from './currency.js';
import type { Result } from './domain-error.js';
import type { Money } from './money.js';
import type { PaymentStatus } from './payment-status.js';

/**
 * declined: the payer's bank or the provider said no; show it to the payer.
 * retryable: timeouts, 5xx, rate limits; the same call with the same idempotency key may succeed.
 * config: credentials or account setup are wrong; tell the team, not the payer.
 * invalid: our request was malformed (a bug on our side or a value the provider refuses).
 */
export type ProviderErrorKind = 'declined' | 'retryable' | 'config' | 'invalid';

export type ProviderError = { kind: ProviderErrorKind; message: string; code?: string };

/** A provider's statement about one payment, already mapped to our statuses. */
export type NormalisedPaymentEvent = PaymentEvent & {
  providerReference: string;
  /** Our payment id, when the provider echoes it back (metadata), to find the payment without a lookup. */
  paymentId?: string;
  /** What the provider says was charged; the caller compares it with what was asked. */
  amount?: Money;
  /**
   * What the provider has refunded of this payment in total, by any means: refunds made through
   * refund() and those made in the provider's own dashboard. The app records the part its own
   * refunds do not account for as a refund made at the provider, so report it only when it is
   * known (absent means unknown, never zero), in the payment's currency.
   */
  refundedAmount?: Money;
  /**
   * Refunds that refund() answered `pending` and the provider has since settled, by the
   * providerRefundReference refund() returned (or our refund id, for providers that echo
   * RefundInput.refundId back). `failed` frees the money to be refunded again.
   */
  settledRefunds?: readonly SettledRefund[];
};

export type SettledRefund = {
  status: 'succeeded' | 'failed';
  providerRefundReference: string;
  /** Our refund's id, when the provider echoes RefundInput.refundId back (metadata). */
  refundId?: string;
};

/** Webhook events must carry an id: it is the deduplication key (unique per payment method). */
export type WebhookPaymentEvent = NormalisedPaymentEvent & { providerEventId: string };

/** Header names lower-cased; the raw body byte-for-byte as text, since signatures cover it exactly. */
export type WebhookInput<C> = {
  rawBody: string;
  headers: Readonly<Record<string, string>>;
  credentials: C;
  now: Date;
};

export type StartCheckoutInput<C, F = undefined> = {
  paymentId: string;
  /** Stable per payment attempt, so a retried call never creates a second charge. */
  idempotencyKey: string;
  amount: Money;
  description: string;
  payerEmail: string;
  payerPhone?: string;
  returnUrl: string;
  webhookUrl: string;
  credentials: C;
  /** Fields the provider collects on our page (only the sandbox's test card), checked by checkoutFieldsSchema. */
  fields?: F;
  /** The link and workspace behind the payment, for providers that echo them back (metadata). */
  linkId?: string;
  workspaceId?: string;
  /** When the link stops taking payment: a provider checkout should not outlive it. Absent: no expiry. */
  linkExpiresAt?: Date;
};

export type CheckoutResult =
  | { kind: 'redirect'; providerReference: string; redirectUrl: string }
  | { kind: 'immediate'; providerReference: string; status: PaymentStatus }
  | { kind: 'failed'; error: ProviderError };

export type WebhookResult =
  | { kind: 'events'; events: WebhookPaymentEvent[] }
  /** Authentic but irrelevant (another event type, another product): answer 2xx, change nothing. */
  | { kind: 'ignored'; reason: string }
  /** Not authentic or unreadable: answer 4xx, change nothing. */
  | { kind: 'rejected'; error: ProviderError };

export type RefundInput<C> = {
  providerReference: string;
  /** This refund's amount: the whole payment, or (with partialRefunds) any part of what is left. */
  amount: Money;
  /** One per refund: asked again with it, the provider answers the same refund, never a second one. */
  idempotencyKey: string;
  credentials: C;
  /** Our payment id, for providers that tag the refund with it (metadata) so its events find the payment. */
  paymentId?: string;
  /**
   * Our refund's id, for providers that tag the refund with it (metadata): its settlement can then
   * be matched even when it arrives before refund()'s answer was recorded.
   */
  refundId?: string;
};

export type RefundResult =
  | { kind: 'refunded'; providerRefundReference: string }
  /** Accepted; the final word arrives later in an event's settledRefunds (and a `returned` event when it is all). */
  | { kind: 'pending'; providerRefundReference: string }
  | { kind: 'failed'; error: ProviderError };

export type CancelCheckoutResult =
  /** Closed: the payer can no longer pay through it. */
  | { kind: 'cancelled' }
  /** Too late: the payer had already paid; that success arrives (or arrived) as an event. */
  | { kind: 'already_paid' }
  | { kind: 'failed'; error: ProviderError };

// Functions are declared as methods on purpose: method parameters are checked bivariantly, which
// lets the app hold providers with different credential types in one PaymentProvider<unknown> list.
export type PaymentProvider<C = unknown, F = undefined> = {
  id: string;
  displayName: string;
  /** The currencies this method can charge, or 'all' when it defers to the provider at checkout. */
  currencies: readonly CurrencyCode[] | 'all';
  credentialsSchema: z.ZodType<C>;
  checkoutFieldsSchema?: z.ZodType<F>;
  /**
   * Must match the optional functions below; the conformance suite checks that they agree.
   * partialRefunds: refund() takes any amount up to what is left, several times per payment;
   * without it the app refunds only the whole amount in one go (and says so to the team).
   */
  capabilities: { refunds: boolean; partialRefunds: boolean; statusFetch: boolean; cancelCheckout: boolean };
  /**
   * Whether these credentials take test or live payments, for providers whose keys say so (Stripe's
   * sk_test_/sk_live_). Absent: the team chooses the mode when connecting.
   */
  modeOf?(credentials: C): 'test' | 'live';
  /**
   * The step, in minor units, the provider charges in for a currency (Stripe takes KWD only in whole
   * hundredths: 10). An amount off the step is refused when the link is created. Absent: 1.
   */
  amountStep?(currency: CurrencyCode): bigint;
  /**
   * The origins of the provider's hosted checkout pages (`https://checkout.stripe.com`). The payment
   * page's form posts to our origin and is answered with a redirect there; browsers apply the page's
   * CSP `form-action` to that redirect, so these origins are allowed in it. Absent: no redirect.
   */
  checkoutOrigins?: readonly string[];
  verifyCredentials(credentials: C): Promise<Result<void, ProviderError>>;
  startCheckout(input: StartCheckoutInput<C, F>): Promise<CheckoutResult>;
  fetchStatus?(input: {
    providerReference: string;
    credentials: C;
  }): Promise<Result<NormalisedPaymentEvent, ProviderError>>;
  parseWebhook(input: WebhookInput<C>): Promise<WebhookResult>;
  refund?(input: RefundInput<C>): Promise<RefundResult>;
  /**
   * Closes an open checkout, used when another payment of the same deal link succeeded. Closing one
   * that is already closed or expired answers `cancelled` again.
   */
  cancelCheckout?(input: { providerReference: string; credentials: C }): Promise<CancelCheckoutResult>;
};

/** A plugin's entry point: options in (e.g. API hosts for tests), a plain provider object out. */
export type PaymentProviderFactory<Options = void, C = unknown, F = undefined> = (
  options: Options,
) => PaymentProvider<C, F>;

/** Whether the provider can charge exactly this amount (its currency and its step). */
export function chargesExactly(provider: Pick<PaymentProvider, 'currencies' | 'amountStep'>, amount: Money) {
  if (!supportsCurrency(provider, amount.currency)) return false;
  const step = provider.amountStep?.(amount.currency) ?? 1n;
  return step > 0n && amount.minor % step === 0n;
}

export function supportsCurrency(
  provider: Pick<PaymentProvider, 'currencies'>,
  currency: CurrencyCode,
): boolean {
  return provider.currencies === 'all' || provider.currencies.includes(currency);
}
