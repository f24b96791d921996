// Stable codes: the API exposes them as `code` in problem+json, so renaming one is a breaking change.
export const domainErrorCodes = [
  'invalid_amount',
  'amount_too_precise',
  'negative_amount',
  'zero_amount',
  'amount_too_large',
  'unknown_currency',
  'currency_mismatch',
  'invalid_validity_days',
  'unknown_payment_status',
  'unknown_link_origin',
  'unknown_payment_option',
  'transition_not_allowed',
] as const;

export type DomainErrorCode = (typeof domainErrorCodes)[number];

export type DomainError = {
  code: DomainErrorCode;
  field?: string;
  message: string;
};

export type Result<T, E = DomainError> = { ok: true; value: T } | { ok: false; error: E };

export function ok(): Result<void, never>;
export function ok<T>(value: T): Result<T, never>;
export function ok<T>(value?: T): Result<T | undefined, never> {
  return { ok: true, value };
}

export function err<E>(error: E): Result<never, E> {
  return { ok: false, error };
}

export function domainError(code: DomainErrorCode, message: string, field?: string): DomainError {
  return field === undefined ? { code, message } : { code, field, message };
}
