import type { ProviderError } from '@paylinks/core';

type StripeLikeError = {
  type?: unknown;
  code?: unknown;
  decline_code?: unknown;
  statusCode?: unknown;
  message?: unknown;
};

/**
 * Any error the Stripe SDK throws, as the contract's kinds, keeping Stripe's code so the team can
 * look it up. The SDK names its error classes in `type` (StripeCardError…).
 */
export function toProviderError(error: unknown): ProviderError {
  const e: StripeLikeError = typeof error === 'object' && error !== null ? error : {};
  const message = typeof e.message === 'string' ? e.message : 'Stripe could not be reached';
  const stripeCode = typeof e.code === 'string' ? e.code : undefined;
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const withCode = (kind: ProviderError['kind'], code = stripeCode): ProviderError =>
    code === undefined ? { kind, message } : { kind, message, code };
  switch (e.type) {
    case 'StripeCardError':
      return withCode('declined', typeof e.decline_code === 'string' ? e.decline_code : stripeCode);
    case 'StripeRateLimitError':
    case 'StripeConnectionError':
    case 'StripeAPIError':
      return withCode('retryable');
    case 'StripeAuthenticationError':
    case 'StripePermissionError':
      return withCode('config');
    case 'StripeIdempotencyError':
      // The same payment was started with other details (another email): a new attempt needs a new key.
      return withCode('invalid', stripeCode ?? 'idempotency_key_reused');
    case 'StripeInvalidRequestError':
      return withCode('invalid');
    default:
      if (status !== undefined && status < 500) return withCode('invalid');
      // Unknown throws (a timeout, a socket reset) are worth one more try with the same key.
      return withCode('retryable', stripeCode ?? 'stripe_unreachable');
  }
}
