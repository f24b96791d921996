import { error } from '@sveltejs/kit';
import { stateOfProblem, statusOfState } from '$lib/pay/pay-state';
import { retryAfter } from '$lib/pay/retry-after';
import type { PageServerLoad } from './$types';

/**
 * Where the provider sends the payer back. The URL proves nothing: the status is the API's, which
 * asks the provider itself while the payment is still Processing.
 */
export const load: PageServerLoad = async ({ params, url, locals }) => {
  const payment = url.searchParams.get('payment') ?? '';
  if (!/^[0-9a-f-]{36}$/i.test(payment)) error(404, { message: 'No such payment', code: 'not_found' });
  const {
    data,
    error: problem,
    response,
  } = await locals.api.GET('/api/pay/{token}/status', {
    params: { path: { token: params.token }, query: { payment } },
  });
  if (!data) {
    const state = stateOfProblem(response.status, problem?.code);
    error(statusOfState[state], {
      message: problem?.detail ?? 'The payment is not available',
      code: problem?.code ?? state,
      ...retryAfter(response),
    });
  }
  return { token: params.token, payment: data, checks: processingChecks(url) };
};

// 40 checks 3 s apart: two minutes of asking by itself, then the payer asks with a link.
const MAX_AUTOMATIC_CHECKS = 40;

/** The Processing page's refresh target: the same page, its check count one higher. */
function processingChecks(url: URL): { next: string | null; again: string } {
  const done = Number(url.searchParams.get('check')) || 0;
  const at = (check: number | undefined) => {
    const target = new URL(url);
    if (check === undefined) target.searchParams.delete('check');
    else target.searchParams.set('check', String(check));
    return `${target.pathname}${target.search}`;
  };
  return { next: done < MAX_AUTOMATIC_CHECKS ? at(done + 1) : null, again: at(undefined) };
}
