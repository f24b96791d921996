import type { ProviderError } from '@paylinks/core';

/** The parts of the SDK's ApiError we read; duck-typed so a thrown network error maps too. */
type MollieErrorLike = { statusCode?: number; field?: string; message?: string };

/**
 * Mollie answers errors as `{ status, title, detail, field }`; the SDK turns them into an ApiError
 * with `statusCode` and `field`. Mollie has no error codes of its own beyond the status and field,
 * so those make our `code` (`mollie_422_amount`). Messages are Mollie's `detail`, which never echoes
 * the API key.
 */
export function toProviderError(error: unknown): ProviderError {
  const { statusCode, field, message } = (
    typeof error === 'object' && error !== null ? error : {}
  ) as MollieErrorLike;
  const detail = typeof message === 'string' && message.length > 0 ? message.slice(0, 300) : 'Mollie failed';
  if (typeof statusCode !== 'number') {
    // No status: the request never got an answer (DNS, TLS, reset), or the SDK refused our input
    // before sending it ("The payment id appears invalid").
    return /appears invalid|unexpected format/.test(detail)
      ? { kind: 'invalid', code: 'mollie_invalid_id', message: detail }
      : { kind: 'retryable', code: 'mollie_unreachable', message: detail };
  }
  const code = field ? `mollie_${statusCode}_${field}` : `mollie_${statusCode}`;
  return { kind: kindOf(statusCode), code, message: detail };
}

function kindOf(status: number) {
  if (status === 401 || status === 403) return 'config' as const;
  if (status === 429 || status >= 500) return 'retryable' as const;
  return 'invalid' as const;
}
