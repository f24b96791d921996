import { PaymentEmbed } from '@mollie/api-client';
import type {
  CancelCheckoutResult,
  CheckoutResult,
  NormalisedPaymentEvent,
  PaymentProvider,
  ProviderError,
  RefundResult,
  Result,
  WebhookResult,
} from '@paylinks/core';
import { type MollieClientFactory, mollieClientFactory } from './mollie-client.js';
import { type MollieCredentials, mollieCredentialsSchema, mollieModeOf } from './mollie-credentials.js';
import { toProviderError } from './mollie-errors.js';
import { mollieCurrencies, toMollieAmount } from './mollie-money.js';
import {
  eventIdOf,
  type FetchedPayment,
  type ObservedPayment,
  PAYMENT_ID_METADATA_KEY,
  paylinksPaymentIdOf,
  toObservedPayment,
} from './mollie-payment-event.js';
import { readWebhookId, refetchFailure } from './mollie-webhook.js';

export type MollieProviderOptions = {
  /** Only to reach a local simulator; production talks to api.mollie.com. */
  apiEndpoint?: string;
  /** Tests replace the SDK client as a whole. */
  client?: MollieClientFactory;
  now?: () => Date;
};

export type MollieProvider = PaymentProvider<MollieCredentials> &
  Required<Pick<PaymentProvider<MollieCredentials>, 'fetchStatus' | 'refund' | 'cancelCheckout' | 'modeOf'>>;

// Mollie refuses descriptions longer than 255 characters.
const MAX_DESCRIPTION = 255;

function failed(error: ProviderError): { kind: 'failed'; error: ProviderError } {
  return { kind: 'failed', error };
}

export function createMollieProvider(options: MollieProviderOptions = {}): MollieProvider {
  const clientFor = options.client ?? mollieClientFactory(options.apiEndpoint);
  const now = options.now ?? (() => new Date());

  async function fetchPayment(
    providerReference: string,
    credentials: MollieCredentials,
  ): Promise<Result<FetchedPayment, ProviderError>> {
    try {
      // With its refunds, so a refund Mollie accepted as pending is seen when it settles.
      const payment = await clientFor(credentials).payments.get(providerReference, {
        embed: [PaymentEmbed.refunds],
      });
      return { ok: true, value: payment };
    } catch (error) {
      return { ok: false, error: toProviderError(error) };
    }
  }

  async function observePayment(
    providerReference: string,
    credentials: MollieCredentials,
  ): Promise<Result<ObservedPayment & { payment: FetchedPayment }, ProviderError>> {
    const fetched = await fetchPayment(providerReference, credentials);
    if (!fetched.ok) return fetched;
    const observed = toObservedPayment(fetched.value, now());
    return observed.ok ? { ok: true, value: { ...observed.value, payment: fetched.value } } : observed;
  }

  return {
    id: 'mollie',
    displayName: 'Mollie',
    currencies: mollieCurrencies,
    credentialsSchema: mollieCredentialsSchema,
    capabilities: { refunds: true, partialRefunds: true, statusFetch: true, cancelCheckout: true },
    modeOf: mollieModeOf,
    // Payments' checkout links are on Mollie's site, or on the simulator's own origin.
    checkoutOrigins: [options.apiEndpoint ? new URL(options.apiEndpoint).origin : 'https://www.mollie.com'],

    async verifyCredentials(credentials) {
      try {
        // Any authenticated read will do; listing methods works for test and live keys alike.
        await clientFor(credentials).methods.list();
        return { ok: true, value: undefined };
      } catch (error) {
        const mapped = toProviderError(error);
        if (mapped.kind !== 'config') return { ok: false, error: mapped };
        return {
          ok: false,
          error: {
            ...mapped,
            message: 'Mollie does not accept this API key; copy it again from the dashboard',
          },
        };
      }
    },

    async startCheckout(input): Promise<CheckoutResult> {
      try {
        const payment = await clientFor(input.credentials).payments.create({
          amount: toMollieAmount(input.amount),
          description: input.description.slice(0, MAX_DESCRIPTION),
          redirectUrl: input.returnUrl,
          webhookUrl: input.webhookUrl,
          metadata: { [PAYMENT_ID_METADATA_KEY]: input.paymentId },
          // Mollie answers a repeated key with the first payment, so a retried call never charges twice.
          idempotencyKey: input.idempotencyKey,
        });
        const redirectUrl = payment.getCheckoutUrl();
        if (!redirectUrl) {
          // Only a payment that is already settled has no checkout link; report its state instead.
          const observed = toObservedPayment(payment, now());
          if (!observed.ok) return failed(observed.error);
          return { kind: 'immediate', providerReference: payment.id, status: observed.value.event.status };
        }
        return { kind: 'redirect', providerReference: payment.id, redirectUrl };
      } catch (error) {
        return failed(toProviderError(error));
      }
    },

    async fetchStatus({
      providerReference,
      credentials,
    }): Promise<Result<NormalisedPaymentEvent, ProviderError>> {
      const observed = await observePayment(providerReference, credentials);
      return observed.ok ? { ok: true, value: observed.value.event } : observed;
    },

    async parseWebhook({ rawBody, credentials }): Promise<WebhookResult> {
      const webhook = readWebhookId(rawBody);
      if (webhook.kind !== 'payment') return webhook.result;
      // Unsigned by design: the id is only a hint, and the state is what Mollie says for our key.
      const observed = await observePayment(webhook.id, credentials);
      if (!observed.ok) {
        return observed.error.code === 'unknown_status' || observed.error.code === 'unreadable_amount'
          ? { kind: 'rejected', error: observed.error }
          : refetchFailure(observed.error);
      }
      const { payment, observation, event } = observed.value;
      if (paylinksPaymentIdOf(payment) === undefined) {
        return { kind: 'ignored', reason: 'Not a payment Paylinks created' };
      }
      return {
        kind: 'events',
        events: [{ ...event, providerEventId: eventIdOf(payment.id, observation, payment) }],
      };
    },

    async cancelCheckout({ providerReference, credentials }): Promise<CancelCheckoutResult> {
      const observed = await observePayment(providerReference, credentials);
      if (!observed.ok) return failed(observed.error);
      const settled = settledAnswer(observed.value);
      if (settled) return settled;
      if (!observed.value.payment.isCancelable) {
        // Card payments in progress cannot be canceled; Mollie expires them by itself, so ask again later.
        return failed({
          kind: 'retryable',
          code: 'not_cancelable',
          message: 'Mollie does not let this payment be canceled yet; it expires by itself',
        });
      }
      try {
        await clientFor(credentials).payments.cancel(providerReference);
        return { kind: 'cancelled' };
      } catch (error) {
        // The payer may have paid in between: read the state again rather than guess from the error.
        const again = await observePayment(providerReference, credentials);
        const answer = again.ok ? settledAnswer(again.value) : undefined;
        return answer ?? failed(toProviderError(error));
      }
    },

    async refund(input): Promise<RefundResult> {
      try {
        const refund = await clientFor(input.credentials).paymentRefunds.create({
          paymentId: input.providerReference,
          amount: toMollieAmount(input.amount),
          idempotencyKey: input.idempotencyKey,
        });
        switch (refund.status) {
          case 'refunded':
            return { kind: 'refunded', providerRefundReference: refund.id };
          case 'failed':
          case 'canceled':
            return failed({
              kind: 'invalid',
              code: `refund_${refund.status}`,
              message: `Mollie ${refund.status} the refund`,
            });
          // queued, pending, processing: accepted; the payment's webhook reports amountRefunded later.
          default:
            return { kind: 'pending', providerRefundReference: refund.id };
        }
      } catch (error) {
        return failed(toProviderError(error));
      }
    },
  };
}

type Observed = ObservedPayment & { payment: FetchedPayment };

function settledAnswer({ observation }: Observed): CancelCheckoutResult | undefined {
  switch (observation) {
    case 'paid':
    case 'paid_refunded':
    case 'paid_charged_back':
      return { kind: 'already_paid' };
    case 'canceled':
    case 'expired':
    case 'failed':
      return { kind: 'cancelled' };
    case 'open':
    case 'pending':
    case 'authorized':
      return undefined;
    default:
      return unreachable(observation);
  }
}

function unreachable(observation: never): never {
  throw new Error(`Unhandled Mollie observation ${String(observation)}`);
}
