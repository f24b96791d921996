import { error, fail, redirect } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import { cardFields, type FormField } from '$lib/pay/checkout-fields';
import { type CheckoutRefusal, checkoutRefusal } from '$lib/pay/checkout-problem';
import { stateOfProblem, statusOfState } from '$lib/pay/pay-state';
import { phoneCountry } from '$lib/pay/phone-country';
import { retryAfter } from '$lib/pay/retry-after';
import { visitHeaders } from '$lib/pay/visit-headers';
import type { Actions, PageServerLoad } from './$types';

/** Opens the link as the payer's browser would open the API's view: it records the click-through. */
export const load: PageServerLoad = async ({ params, request, locals }) => {
  const {
    data,
    error: problem,
    response,
  } = await locals.api.GET('/api/pay/{token}', {
    params: { path: { token: params.token } },
    headers: visitHeaders(request),
  });
  if (!data) {
    const state = stateOfProblem(response.status, problem?.code);
    error(statusOfState[state], {
      message: problem?.detail ?? 'The payment page is not available',
      code: problem?.code ?? state,
      ...retryAfter(response),
    });
  }
  const fields = cardFields.filter((field) => data.checkoutFields.includes(field.name));
  return { token: params.token, link: data, cardFields: fields.map(({ name }) => name) };
};

/** What the form sends back to itself after a refusal: the payer's typing, never the card. */
export interface PayFormResult {
  values: { email: string; phone: string; cardName: string };
  paymentId: string | null;
  refusal: CheckoutRefusal;
  retryAfterSeconds?: number;
}

const text = (form: FormData, name: FormField | 'paymentId') => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

export const actions: Actions = {
  /** Pay: the checkout API, then the provider's page, or our result page for an immediate answer. */
  default: async ({ params, request, locals }) => {
    const form = await request.formData();
    const paymentId = /^[0-9a-f-]{36}$/i.test(text(form, 'paymentId')) ? text(form, 'paymentId') : null;
    const hasCardFields = form.has('cardNumber');
    const card = Object.fromEntries(
      cardFields
        .filter(({ name }) => form.has(name))
        .map(({ name }) => [name, cardValue(name, text(form, name))]),
    );
    const {
      data,
      error: problem,
      response,
    } = await locals.api.POST('/api/pay/{token}/checkout', {
      params: { path: { token: params.token } },
      headers: { 'user-agent': request.headers.get('user-agent') ?? '' },
      body: {
        paymentId,
        email: text(form, 'email'),
        phone: text(form, 'phone'),
        ...withCountry(phoneCountry(request.headers.get('accept-language'), getLocale())),
        ...(hasCardFields ? { card } : {}),
      },
    });
    if (data?.kind === 'redirect') redirect(303, data.redirectUrl);
    // The payment's own page says how it ended, also for one recorded at checkout (beyond the cap).
    if (data?.kind === 'result') redirect(303, returnPath(params.token, data.paymentId));
    // Sent twice (back button, double submit): the payment's own page says how it ended.
    if (problem?.code === 'payment_not_processing' && paymentId)
      redirect(303, returnPath(params.token, paymentId));
    const refusal = checkoutRefusal({ status: response.status, ...(problem ?? {}) }, { hasCardFields });
    const status = refusal.kind === 'state' ? statusOfState[refusal.state] : response.status;
    return fail(status, {
      values: { email: text(form, 'email'), phone: text(form, 'phone'), cardName: text(form, 'cardName') },
      paymentId,
      refusal,
      ...retryAfter(response),
    } satisfies PayFormResult);
  },
};

/** A phone's digit keypad has no slash: `1230` is taken as the expiry `12/30`. */
function cardValue(name: FormField, value: string): string {
  const digits = /^\s*(\d{2})(\d{2})\s*$/.exec(value);
  return name === 'expiry' && digits ? `${digits[1]}/${digits[2]}` : value;
}

const withCountry = (country: string | undefined) => (country ? { defaultCountry: country } : {});

const returnPath = (token: string, paymentId: string) =>
  `/pay/${encodeURIComponent(token)}/return?payment=${encodeURIComponent(paymentId)}`;
