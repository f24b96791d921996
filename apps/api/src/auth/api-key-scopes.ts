import type { ProblemDetail } from '../http/problem.js';

/**
 * What an API key may do, chosen when it is made. `read` only reads; `payments` reads and makes the
 * payment moves a checkout or accounting script needs; `all` does everything an API key may do.
 * Roles still apply on top: a scope never lets a key do what its member could not.
 */
export const apiKeyScopes = ['read', 'payments', 'all'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export function isApiKeyScope(value: unknown): value is ApiKeyScope {
  return typeof value === 'string' && (apiKeyScopes as readonly string[]).includes(value);
}

/** Keys made before scopes existed carry none in their metadata: they keep doing what they did. */
export const defaultApiKeyScope: ApiKeyScope = 'all';

const readMethods = new Set(['GET', 'HEAD']);

/**
 * Everything a `payments` key may do beyond reading, by operation. An explicit list, so a new
 * write route is outside the payments scope until someone decides it belongs here.
 */
export const paymentsScopeOperations = [
  { operationId: 'createPaymentLink', method: 'POST', path: '/api/payment-links' },
  { operationId: 'updatePaymentLink', method: 'PATCH', path: '/api/payment-links/{id}' },
  { operationId: 'deletePaymentLink', method: 'DELETE', path: '/api/payment-links/{id}' },
  {
    operationId: 'resumePaymentLinkCheckout',
    method: 'POST',
    path: '/api/payment-links/{id}/resume-checkout',
  },
  { operationId: 'confirmLinkPayment', method: 'POST', path: '/api/payments/confirm-link' },
  { operationId: 'confirmPayment', method: 'POST', path: '/api/payments/{id}/confirm' },
  { operationId: 'refundPayment', method: 'POST', path: '/api/payments/{id}/refunds' },
] as const;

const paymentsPatterns = paymentsScopeOperations.map(({ method, path }) => ({
  method,
  pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

const isPaymentsOperation = (method: string, path: string) =>
  paymentsPatterns.some((operation) => operation.method === method && operation.pattern.test(path));

/** The narrowest scope that allows `method` on `path`. */
export function scopeNeeded(method: string, path: string): ApiKeyScope {
  if (readMethods.has(method)) return 'read';
  if (isPaymentsOperation(method, path)) return 'payments';
  return 'all';
}

const breadth: Record<ApiKeyScope, number> = { read: 0, payments: 1, all: 2 };

/** Why a key may not make this request (answered 403 `insufficient_scope`), or null when it may. */
export function scopeRefusal(scope: ApiKeyScope, method: string, path: string): ProblemDetail | null {
  const needed = scopeNeeded(method, path);
  if (breadth[scope] >= breadth[needed]) return null;
  return {
    code: 'insufficient_scope',
    message: `This API key has the scope "${scope}"; this request needs the scope "${needed}".`,
  };
}
