import { m } from '$lib/paraglide/messages';

/** Every page the payer can land on instead of the payment form. */
export type PayState =
  | 'expired'
  | 'deleted'
  | 'paid'
  | 'method_unavailable'
  | 'checkout_paused'
  | 'rate_limited'
  | 'too_many_attempts'
  | 'not_found'
  | 'unexpected';

const stateOfCode: Record<string, PayState> = {
  link_expired: 'expired',
  link_deleted: 'deleted',
  link_paid: 'paid',
  method_unavailable: 'method_unavailable',
  checkout_paused: 'checkout_paused',
  rate_limited: 'rate_limited',
  too_many_attempts: 'too_many_attempts',
  not_found: 'not_found',
};

/** The state an API refusal puts the page in; an unknown code falls back on its HTTP status. */
export function stateOfProblem(status: number, code: string | undefined): PayState {
  const known = code === undefined ? undefined : stateOfCode[code];
  if (known) return known;
  if (status === 404 || status === 422) return 'not_found';
  if (status === 429) return 'rate_limited';
  return 'unexpected';
}

/** The HTTP status each state's page answers with. */
export const statusOfState: Record<PayState, number> = {
  expired: 410,
  deleted: 410,
  paid: 410,
  method_unavailable: 503,
  checkout_paused: 423,
  rate_limited: 429,
  too_many_attempts: 409,
  not_found: 404,
  unexpected: 500,
};

export interface StateText {
  title: string;
  body: string;
}

/** What the payer reads on a state's page, in the page's language. */
export function stateText(state: PayState, retryAfterSeconds = 60): StateText {
  switch (state) {
    case 'expired':
      return { title: m.state_expired_title(), body: m.state_expired_body() };
    case 'deleted':
      return { title: m.state_deleted_title(), body: m.state_deleted_body() };
    case 'paid':
      return { title: m.state_paid_title(), body: m.state_paid_body() };
    case 'method_unavailable':
      return { title: m.state_method_unavailable_title(), body: m.state_method_unavailable_body() };
    case 'checkout_paused':
      return { title: m.state_checkout_paused_title(), body: m.state_checkout_paused_body() };
    case 'rate_limited':
      return {
        title: m.state_rate_limited_title(),
        body: m.state_rate_limited_body({ count: retryAfterSeconds }),
      };
    case 'too_many_attempts':
      return { title: m.state_too_many_attempts_title(), body: m.state_too_many_attempts_body() };
    case 'not_found':
      return { title: m.state_not_found_title(), body: m.state_not_found_body() };
    case 'unexpected':
      return { title: m.state_unexpected_title(), body: m.state_unexpected_body() };
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}
