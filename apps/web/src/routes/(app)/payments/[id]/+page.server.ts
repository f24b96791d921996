import { randomUUID } from 'node:crypto';
import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { paymentsTabActions } from '$lib/payments-tab/server';
import type { Actions, PageServerLoad } from './$types';

/** One payment, its event timeline, and what the member may do with it. */
export const load: PageServerLoad = async ({ params, locals, parent }) => {
  const [{ data: payment, response }, { me, locale }] = await Promise.all([
    locals.api.GET('/api/payments/{id}', { params: { path: { id: params.id } } }),
    parent(),
  ]);
  if (!payment) {
    // A malformed id is as missing as an unknown one.
    if (response.status === 404 || response.status === 422) error(404, { message: m.crm_pay_not_found() });
    throw new Error(`GET /api/payments/{id} answered ${response.status}`);
  }
  // The link's mails (sent, retried, its reminder) belong to this payment's story too.
  const mails = await locals.api.GET('/api/payment-links/{id}/mails', {
    params: { path: { id: payment.linkId } },
  });
  return {
    payment,
    mails: mails.data?.items ?? [],
    canRefund: me.role === 'owner' || me.role === 'admin',
    locale,
    // Fresh per render: a double submit or a retried refund form refunds once.
    refundKey: randomUUID(),
  };
};

// The same Confirm and Refund as the Payments tab: one use of the API, two places to press it.
export const actions: Actions = {
  confirmPayment: paymentsTabActions.confirmPayment,
  refundPayment: paymentsTabActions.refundPayment,
};
