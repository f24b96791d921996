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
  return { token: params.token, payment: data };
};
