import type {
  CancelCheckoutResult,
  CheckoutResult,
  Money,
  NormalisedPaymentEvent,
  PaymentProvider,
  ProviderError,
  RefundResult,
  Result,
} from '@paylinks/core';
import type Stripe from 'stripe';
import { checkoutSessionParams, sessionExpiry } from './stripe-checkout-params.js';
import { createStripeClients, type StripeApiTarget } from './stripe-client.js';
import { type StripeCredentials, stripeCredentialsSchema, stripeModeOf } from './stripe-credentials.js';
import { toProviderError } from './stripe-errors.js';
import { ourPaymentId, refundMetadata } from './stripe-metadata.js';
import { fromStripeAmount, stripeAmountStep, stripeCurrencies, toStripeAmount } from './stripe-money.js';
import { readSessionState } from './stripe-session-state.js';
import { sessionToPaymentStatus } from './stripe-status.js';
import { DEFAULT_WEBHOOK_TOLERANCE_MS, parseStripeWebhook } from './stripe-webhook.js';

export type StripeProviderOptions = {
  /** A local simulator instead of api.stripe.com (PAYLINKS_STRIPE_API_URL, parsed by parseStripeApiUrl). */
  api?: StripeApiTarget;
  now?: () => Date;
  webhookToleranceMs?: number;
  /** The SDK's own retries of failed connections and 5xx, with the same idempotency key. */
  maxNetworkRetries?: number;
};

export type StripeProvider = PaymentProvider<StripeCredentials>;

const failed = (error: ProviderError) => ({ kind: 'failed' as const, error });

export function createStripeProvider(options: StripeProviderOptions = {}): StripeProvider {
  const now = options.now ?? (() => new Date());
  const clientFor = createStripeClients({
    ...(options.api ? { api: options.api } : {}),
    ...(options.maxNetworkRetries === undefined ? {} : { maxNetworkRetries: options.maxNetworkRetries }),
  });

  async function retrieveSession(credentials: StripeCredentials, id: string) {
    return clientFor(credentials.secretKey).checkout.sessions.retrieve(id, {
      expand: ['payment_intent.latest_charge'],
    });
  }

  async function sessionEvent(
    session: Stripe.Checkout.Session,
  ): Promise<Result<NormalisedPaymentEvent, ProviderError>> {
    const state = readSessionState(session);
    if (!state) {
      return {
        ok: false,
        error: { kind: 'invalid', code: 'unknown_status', message: `Stripe says ${session.status}` },
      };
    }
    const amount = fromStripeAmount(session.amount_total, session.currency);
    const paymentId = ourPaymentId(session.metadata);
    const refundedAmount = refundedOf(session);
    return {
      ok: true,
      value: {
        status: sessionToPaymentStatus(state),
        providerReference: session.id,
        occurredAt: now(),
        ...(paymentId ? { paymentId } : {}),
        ...(amount ? { amount } : {}),
        ...(refundedAmount ? { refundedAmount } : {}),
      },
    };
  }

  return {
    id: 'stripe',
    displayName: 'Stripe',
    currencies: stripeCurrencies,
    credentialsSchema: stripeCredentialsSchema,
    capabilities: { refunds: true, partialRefunds: true, statusFetch: true, cancelCheckout: true },
    modeOf: stripeModeOf,
    amountStep: stripeAmountStep,
    // Sessions' URLs are on Stripe's checkout host, or on the simulator's own origin.
    checkoutOrigins: [options.api ? originOf(options.api) : 'https://checkout.stripe.com'],

    async verifyCredentials(credentials) {
      try {
        // Readable by every secret key and by restricted keys with Balance read access.
        await clientFor(credentials.secretKey).balance.retrieve();
        return { ok: true, value: undefined };
      } catch (error) {
        return { ok: false, error: toProviderError(error) };
      }
    },

    async startCheckout(input): Promise<CheckoutResult> {
      const amount = toStripeAmount(input.amount);
      if (!amount.ok) return failed({ kind: 'invalid', ...amount.error });
      const expiry = sessionExpiry(input.linkExpiresAt, now());
      if (expiry.kind === 'too_soon') {
        return failed({
          kind: 'invalid',
          code: 'link_expires_too_soon',
          message:
            'This link expires within 30 minutes, too soon for a Stripe checkout; ask the sender for a new link.',
        });
      }
      try {
        const session = await clientFor(input.credentials.secretKey).checkout.sessions.create(
          checkoutSessionParams(input, amount.value, expiry),
          { idempotencyKey: input.idempotencyKey },
        );
        if (session.status === 'complete') {
          return { kind: 'immediate', providerReference: session.id, status: 'complete' };
        }
        // A replay of a session that has since expired has no URL left to send the payer to.
        if (!session.url || session.status !== 'open') {
          return failed({
            kind: 'invalid',
            code: 'checkout_closed',
            message: 'This Stripe checkout has closed; open the link again to pay.',
          });
        }
        return { kind: 'redirect', providerReference: session.id, redirectUrl: session.url };
      } catch (error) {
        return failed(toProviderError(error));
      }
    },

    async fetchStatus({ providerReference, credentials }) {
      try {
        return await sessionEvent(await retrieveSession(credentials, providerReference));
      } catch (error) {
        return { ok: false, error: toProviderError(error) };
      }
    },

    parseWebhook: async (input) =>
      parseStripeWebhook(input, options.webhookToleranceMs ?? DEFAULT_WEBHOOK_TOLERANCE_MS),

    async cancelCheckout({ providerReference, credentials }): Promise<CancelCheckoutResult> {
      try {
        const session = await retrieveSession(credentials, providerReference);
        if (session.status === 'complete') return { kind: 'already_paid' };
        if (session.status === 'expired') return { kind: 'cancelled' };
        try {
          await clientFor(credentials.secretKey).checkout.sessions.expire(providerReference);
          return { kind: 'cancelled' };
        } catch (error) {
          // The payer finished between our two calls: Stripe refuses to expire a completed session.
          const again = await retrieveSession(credentials, providerReference);
          if (again.status === 'complete') return { kind: 'already_paid' };
          if (again.status === 'expired') return { kind: 'cancelled' };
          return failed(toProviderError(error));
        }
      } catch (error) {
        return failed(toProviderError(error));
      }
    },

    async refund(input): Promise<RefundResult> {
      const amount = toStripeAmount(input.amount);
      if (!amount.ok) return failed({ kind: 'invalid', ...amount.error });
      try {
        const session = await retrieveSession(input.credentials, input.providerReference);
        const intent = session.payment_intent;
        const intentId = typeof intent === 'string' ? intent : intent?.id;
        if (!intentId || session.payment_status !== 'paid') {
          return failed({
            kind: 'invalid',
            code: 'not_paid',
            message: 'Only a paid Stripe checkout can be refunded',
          });
        }
        if (session.currency !== amount.value.currency) {
          return failed({
            kind: 'invalid',
            code: 'currency_mismatch',
            message: 'The refund is in another currency than the payment',
          });
        }
        const paymentId = ourPaymentId(session.metadata) ?? input.paymentId;
        const refund = await clientFor(input.credentials.secretKey).refunds.create(
          {
            payment_intent: intentId,
            amount: amount.value.amount,
            // Lets charge.refund.updated events be told ours, tied to the payment, and told from a
            // partial refund (which must not return the payment).
            ...(paymentId
              ? {
                  metadata: refundMetadata(
                    paymentId,
                    completesRefund(intent, amount.value.amount),
                    input.refundId,
                  ),
                }
              : {}),
          },
          { idempotencyKey: input.idempotencyKey },
        );
        return refundResult(refund);
      } catch (error) {
        return failed(toProviderError(error));
      }
    },
  };
}

/** Whether this refund brings the charge's refunds up to its whole amount (read before creating it). */
function completesRefund(intent: string | Stripe.PaymentIntent | null, amount: number): boolean {
  const charge = typeof intent === 'object' && intent !== null ? intent.latest_charge : null;
  if (typeof charge !== 'object' || charge === null) return false;
  return charge.amount_refunded + amount >= charge.amount;
}

/** What the session's charge has refunded in total (read from the expanded latest charge). */
function refundedOf(session: Stripe.Checkout.Session): Money | undefined {
  const intent = session.payment_intent;
  const charge = typeof intent === 'object' && intent !== null ? intent.latest_charge : null;
  if (typeof charge !== 'object' || charge === null) return undefined;
  return fromStripeAmount(charge.amount_refunded, charge.currency);
}

function originOf({ protocol, host, port }: StripeApiTarget): string {
  return new URL(`${protocol}://${host}:${port}`).origin;
}

function refundResult(refund: Stripe.Refund): RefundResult {
  switch (refund.status) {
    case 'succeeded':
      return { kind: 'refunded', providerRefundReference: refund.id };
    case 'pending':
    case 'requires_action':
      return { kind: 'pending', providerRefundReference: refund.id };
    default:
      return failed({
        kind: 'invalid',
        code: `refund_${refund.status ?? 'unknown'}`,
        message: refund.failure_reason
          ? `Stripe could not refund: ${refund.failure_reason}`
          : 'Stripe could not refund',
      });
  }
}
