import { MollieApiError as ApiError } from '@mollie/api-client';
import { describe, expect, it } from 'vitest';
import { toProviderError } from './mollie-errors.js';

const apiError = (statusCode: number, field?: string) =>
  new ApiError('Mollie said no', { statusCode, ...(field ? { field } : {}) });

describe('Mollie errors', () => {
  it('a refused key is the team’s to fix (config)', () => {
    expect(toProviderError(apiError(401))).toMatchObject({ kind: 'config', code: 'mollie_401' });
    expect(toProviderError(apiError(403))).toMatchObject({ kind: 'config', code: 'mollie_403' });
  });

  it('a refused value is invalid and keeps the field Mollie named', () => {
    expect(toProviderError(apiError(422, 'amount.value'))).toEqual({
      kind: 'invalid',
      code: 'mollie_422_amount.value',
      message: 'Mollie said no',
    });
    expect(toProviderError(apiError(404))).toMatchObject({ kind: 'invalid', code: 'mollie_404' });
  });

  it('rate limits, outages and unanswered calls are retryable', () => {
    expect(toProviderError(apiError(429)).kind).toBe('retryable');
    expect(toProviderError(apiError(503)).kind).toBe('retryable');
    expect(toProviderError(new ApiError('request to https://api failed, reason: ECONNRESET'))).toMatchObject({
      kind: 'retryable',
      code: 'mollie_unreachable',
    });
  });

  it('an id the SDK refuses before sending is invalid', () => {
    expect(toProviderError(new ApiError('The payment id appears invalid: x (unexpected format)')).kind).toBe(
      'invalid',
    );
  });
});
