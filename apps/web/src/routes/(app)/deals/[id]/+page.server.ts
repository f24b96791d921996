import { error } from '@sveltejs/kit';
import { dealAmountBody, dealFields } from '$lib/crm/deal-form';
import { formValues, refuse } from '$lib/crm/form-problem';
import { tabOf } from '$lib/crm/tabs';
import { loadPaymentsTab, paymentsTabActions } from '$lib/payments-tab/server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { locals, params, url } = event;
  const { data: deal, response } = await locals.api.GET('/api/deals/{id}', {
    params: { path: { id: params.id } },
  });
  if (!deal) error(response.status === 404 ? 404 : response.status, 'Deal not found');
  const { data: pipeline } = await locals.api.GET('/api/pipelines/{id}', {
    params: { path: { id: deal.pipelineId } },
  });
  // Only the open tab is loaded: the Payments tab asks the API for links, payments and methods.
  const tab = tabOf(url);
  const paymentsTab = tab === 'payments' ? await loadPaymentsTab(event, { dealId: deal.id }) : null;
  return { deal, paymentsTab, pipeline, tab, editing: url.searchParams.has('edit') };
};

export const actions: Actions = {
  ...paymentsTabActions,
  saveDeal: async ({ locals, params, request }) => {
    const values = formValues(await request.formData());
    const {
      data,
      error: problem,
      response,
    } = await locals.api.PATCH('/api/deals/{id}', {
      params: { path: { id: params.id } },
      body: { title: values.title ?? '', amount: dealAmountBody(values) },
    });
    if (!data) return refuse(response.status, problem, values, dealFields);
    return { saved: true };
  },
};
