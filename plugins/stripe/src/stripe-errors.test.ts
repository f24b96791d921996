import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { toProviderError } from './stripe-errors.js';

const raw = (statusCode: number, type: string, code?: string, extra: Record<string, unknown> = {}) =>
  Stripe.errors.StripeError.generate({
    statusCode,
    type,
    message: 'Stripe says no',
    ...(code ? { code } : {}),
    ...extra,
  } as never);

describe('toProviderError', () => {
  it('maps the SDK error classes to kinds and keeps Stripe’s code', () => {
    expect(
      toProviderError(raw(402, 'card_error', 'card_declined', { decline_code: 'insufficient_funds' })),
    ).toEqual({
      kind: 'declined',
      code: 'insufficient_funds',
      message: 'Stripe says no',
    });
    expect(toProviderError(raw(429, 'invalid_request_error', 'rate_limit')).kind).toBe('retryable');
    expect(toProviderError(raw(500, 'api_error')).kind).toBe('retryable');
    expect(toProviderError(raw(401, 'invalid_request_error', 'api_key_invalid'))).toMatchObject({
      kind: 'config',
      code: 'api_key_invalid',
    });
    expect(toProviderError(raw(403, 'invalid_request_error', 'secret_key_required')).kind).toBe('config');
    expect(toProviderError(raw(400, 'invalid_request_error', 'parameter_missing'))).toMatchObject({
      kind: 'invalid',
      code: 'parameter_missing',
    });
    expect(toProviderError(raw(404, 'invalid_request_error', 'resource_missing')).kind).toBe('invalid');
    expect(toProviderError(raw(400, 'idempotency_error'))).toMatchObject({
      kind: 'invalid',
      code: 'idempotency_key_reused',
    });
  });

  it('treats connection failures and unknown throws as worth a retry', () => {
    expect(
      toProviderError(new Stripe.errors.StripeConnectionError({ message: 'ECONNRESET' } as never)).kind,
    ).toBe('retryable');
    expect(toProviderError(new Error('socket hang up'))).toMatchObject({
      kind: 'retryable',
      code: 'stripe_unreachable',
    });
  });
});
