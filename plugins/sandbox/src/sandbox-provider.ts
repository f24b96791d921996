import { randomUUID } from 'node:crypto';
import {
  type CancelCheckoutResult,
  type CheckoutResult,
  isKnownCurrency,
  type PaymentProvider,
  type ProviderError,
  type RefundResult,
  type StartCheckoutInput,
  supportedCurrencies,
  type WebhookResult,
} from '@paylinks/core';
import { checkTestCard, createCardFieldsSchema, type SandboxCardFields } from './sandbox-cards.js';
import { type SandboxCredentials, sandboxCredentialsSchema } from './sandbox-credentials.js';
import {
  createSandboxLedger,
  type SandboxCheckout,
  type SandboxLedger,
  type SandboxRefund,
} from './sandbox-ledger.js';
import { fromSandboxAmount } from './sandbox-money.js';
import { createSandboxReference, isSandboxReference } from './sandbox-reference.js';
import {
  DEFAULT_WEBHOOK_TOLERANCE_MS,
  signatureHeader,
  verifySandboxSignature,
} from './sandbox-signature.js';
import { toPaymentStatus } from './sandbox-status.js';
import {
  createSandboxWebhookEvent,
  SANDBOX_EVENT_TYPE,
  sandboxWebhookEventSchema,
} from './sandbox-webhook-event.js';
import type { SandboxWebhookSender } from './sandbox-webhook-sender.js';

export type SandboxProviderOptions = {
  /** Shared with tests that inspect it; a fresh one by default. */
  ledger?: SandboxLedger;
  now?: () => Date;
  /** Without a sender the sandbox still answers checkouts immediately; it just sends no webhooks. */
  webhooks?: Pick<SandboxWebhookSender, 'send'>;
  webhookToleranceMs?: number;
};

export type SandboxProvider = PaymentProvider<SandboxCredentials, SandboxCardFields>;

const TEST_CARD_HINT = 'This is test mode: use a test card such as 4242 4242 4242 4242.';

function failure(
  kind: ProviderError['kind'],
  code: string,
  message: string,
): { kind: 'failed'; error: ProviderError } {
  return { kind: 'failed', error: { kind, code, message } };
}

function sameRequest(
  checkout: SandboxCheckout,
  input: StartCheckoutInput<SandboxCredentials, SandboxCardFields>,
) {
  return (
    checkout.paymentId === input.paymentId &&
    checkout.amount.minor === input.amount.minor &&
    checkout.amount.currency === input.amount.currency
  );
}

export function createSandboxProvider(options: SandboxProviderOptions = {}): SandboxProvider {
  const ledger = options.ledger ?? createSandboxLedger();
  const now = options.now ?? (() => new Date());
  const toleranceMs = options.webhookToleranceMs ?? DEFAULT_WEBHOOK_TOLERANCE_MS;
  const checkoutFieldsSchema = createCardFieldsSchema(now);

  function record(checkout: SandboxCheckout, credentials: SandboxCredentials): void {
    ledger.save(checkout);
    if (!options.webhooks) return;
    const event = createSandboxWebhookEvent(checkout, checkout.status, checkout.updatedAt);
    // Fire and forget, as a provider would: the checkout answer must not wait on our own endpoint.
    void options.webhooks.send({
      eventId: event.id,
      url: checkout.webhookUrl,
      secret: credentials.webhookSecret,
      body: event.body,
    });
  }

  return {
    id: 'sandbox',
    displayName: 'Sandbox (test mode)',
    // Every currency Intl knows, so a team can try links in whatever currency it bills in.
    currencies: supportedCurrencies(),
    credentialsSchema: sandboxCredentialsSchema,
    checkoutFieldsSchema,
    capabilities: { refunds: true, partialRefunds: true, statusFetch: true, cancelCheckout: true },

    async verifyCredentials(credentials) {
      const parsed = sandboxCredentialsSchema.safeParse(credentials);
      return parsed.success
        ? { ok: true, value: undefined }
        : {
            ok: false,
            error: { kind: 'config', code: 'invalid_credentials', message: 'Reconnect the sandbox' },
          };
    },

    async startCheckout(input): Promise<CheckoutResult> {
      // Nothing below awaits before the ledger is written, so two concurrent calls with one key
      // cannot both miss the lookup and create two checkouts.
      const existing = ledger.byIdempotencyKey(input.idempotencyKey);
      if (existing && !sameRequest(existing, input)) {
        return failure(
          'invalid',
          'idempotency_key_reused',
          'This idempotency key was used for another payment',
        );
      }
      // A settled checkout answers repeats with its result and charges nothing, whatever card is sent.
      if (existing && (existing.status === 'paid' || existing.status === 'refunded')) {
        return {
          kind: 'immediate',
          providerReference: existing.reference,
          status: toPaymentStatus(existing.status),
        };
      }
      if (existing?.status === 'closed') {
        return failure(
          'invalid',
          'checkout_closed',
          'This checkout was closed; nothing can be paid through it',
        );
      }
      if (!isKnownCurrency(input.amount.currency)) {
        return failure(
          'invalid',
          'unsupported_currency',
          `The sandbox does not know ${input.amount.currency}`,
        );
      }
      if (input.amount.minor <= 0n) {
        return failure('invalid', 'invalid_amount', 'The sandbox charges amounts above zero');
      }
      const fields = checkoutFieldsSchema.safeParse(input.fields);
      if (!fields.success) {
        const message = fields.error.issues.map((issue) => issue.message).join('; ');
        return failure('invalid', 'invalid_card_fields', message);
      }
      const check = checkTestCard(fields.data.cardNumber);
      if (check.kind === 'not-a-test-card') return failure('invalid', 'not_a_test_card', TEST_CARD_HINT);

      const at = now();
      // A declined attempt leaves the checkout open to another card, as on a real hosted page.
      const checkout: SandboxCheckout = {
        ...(existing ?? {
          reference: createSandboxReference(input.credentials.webhookSecret),
          idempotencyKey: input.idempotencyKey,
          paymentId: input.paymentId,
          amount: input.amount,
          description: input.description,
          webhookUrl: input.webhookUrl,
          createdAt: at,
        }),
        status: check.outcome.kind === 'pays' ? 'paid' : 'failed',
        card: check.card,
        updatedAt: at,
      };
      record(checkout, input.credentials);
      if (check.outcome.kind === 'declined') {
        return failure('declined', check.outcome.code, check.outcome.message);
      }
      return {
        kind: 'immediate',
        providerReference: checkout.reference,
        status: toPaymentStatus(checkout.status),
      };
    },

    async fetchStatus({ providerReference }) {
      const checkout = ledger.byReference(providerReference);
      if (!checkout) {
        return {
          ok: false,
          error: { kind: 'invalid', code: 'unknown_reference', message: 'No such sandbox checkout' },
        };
      }
      return {
        ok: true,
        value: {
          status: toPaymentStatus(checkout.status),
          providerReference,
          paymentId: checkout.paymentId,
          amount: checkout.amount,
          occurredAt: checkout.updatedAt,
        },
      };
    },

    async parseWebhook({ rawBody, headers, credentials, now: at }): Promise<WebhookResult> {
      if (typeof credentials?.webhookSecret !== 'string') {
        return {
          kind: 'rejected',
          error: { kind: 'config', code: 'no_webhook_secret', message: 'No webhook secret' },
        };
      }
      const verified = verifySandboxSignature({
        secret: credentials.webhookSecret,
        body: rawBody,
        header: signatureHeader(headers),
        now: at,
        toleranceMs,
      });
      if (!verified.ok) return { kind: 'rejected', error: verified.error };
      const unreadable = (message: string): WebhookResult => ({
        kind: 'rejected',
        error: { kind: 'invalid', code: 'unreadable_event', message },
      });
      let json: unknown;
      try {
        json = JSON.parse(rawBody);
      } catch {
        return unreadable('The body is not JSON');
      }
      const parsed = sandboxWebhookEventSchema.safeParse(json);
      if (!parsed.success) return unreadable('The body is not a sandbox event');
      const event = parsed.data;
      if (event.type !== SANDBOX_EVENT_TYPE) return { kind: 'ignored', reason: `Event type ${event.type}` };
      // Checkouts started by another instance are not in this ledger; their reference still proves them ours.
      const reference = event.data.reference;
      if (!ledger.byReference(reference) && !isSandboxReference(credentials.webhookSecret, reference)) {
        return { kind: 'ignored', reason: 'Not a checkout this sandbox created' };
      }
      const amount = fromSandboxAmount(event.data);
      if (!amount) return unreadable('The amount is not in the sandbox format');
      return {
        kind: 'events',
        events: [
          {
            status: toPaymentStatus(event.data.status),
            providerEventId: event.id,
            providerReference: reference,
            paymentId: event.data.payment_id,
            amount,
            occurredAt: new Date(event.created * 1000),
          },
        ],
      };
    },

    async cancelCheckout({ providerReference, credentials }): Promise<CancelCheckoutResult> {
      const checkout = ledger.byReference(providerReference);
      if (!checkout) return failure('invalid', 'unknown_reference', 'No such sandbox checkout');
      if (checkout.status === 'paid' || checkout.status === 'refunded') return { kind: 'already_paid' };
      if (checkout.status !== 'closed')
        record({ ...checkout, status: 'closed', updatedAt: now() }, credentials);
      return { kind: 'cancelled' };
    },

    async refund(input): Promise<RefundResult> {
      const checkout = ledger.byReference(input.providerReference);
      if (!checkout) return failure('invalid', 'unknown_reference', 'No such sandbox checkout');
      const earlier = checkout.refunds ?? [];
      // The same refund asked again (a retried request) gets the same answer and returns nothing more.
      const same = earlier.find((refund) => refund.idempotencyKey === input.idempotencyKey);
      if (same) {
        return same.amount.minor === input.amount.minor && same.amount.currency === input.amount.currency
          ? { kind: 'refunded', providerRefundReference: same.reference }
          : failure('invalid', 'idempotency_key_reused', 'This idempotency key was used for another refund');
      }
      if (checkout.status === 'refunded') {
        return failure('invalid', 'already_refunded', 'This checkout has already been refunded in full');
      }
      if (checkout.status !== 'paid') {
        return failure('invalid', 'not_paid', 'Only a paid checkout can be refunded');
      }
      const left = checkout.amount.minor - earlier.reduce((sum, refund) => sum + refund.amount.minor, 0n);
      if (input.amount.currency !== checkout.amount.currency) {
        return failure('invalid', 'currency_mismatch', 'The refund is in another currency than the payment');
      }
      if (input.amount.minor <= 0n || input.amount.minor > left) {
        return failure('invalid', 'amount_too_large', 'The refund is more than what is left to refund');
      }
      const refund: SandboxRefund = {
        reference: `sbx_re_${randomUUID()}`,
        idempotencyKey: input.idempotencyKey,
        amount: input.amount,
      };
      // Paid until the refunds add up to the whole amount, as providers report a partly refunded payment.
      const status = input.amount.minor === left ? 'refunded' : 'paid';
      record({ ...checkout, status, refunds: [...earlier, refund], updatedAt: now() }, input.credentials);
      return { kind: 'refunded', providerRefundReference: refund.reference };
    },
  };
}
