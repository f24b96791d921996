import { error } from '@sveltejs/kit';
import { dealAmountBody, dealFields } from '$lib/crm/deal-form';
import { formValues, refuse } from '$lib/crm/form-problem';
import { tabOf } from '$lib/crm/tabs';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
  const { data: deal, response } = await locals.api.GET('/api/deals/{id}', {
    params: { path: { id: params.id } },
  });
  if (!deal) error(response.status === 404 ? 404 : response.status, 'Deal not found');
  const { data: pipeline } = await locals.api.GET('/api/pipelines/{id}', {
    params: { path: { id: deal.pipelineId } },
  });
  return { deal, pipeline, tab: tabOf(url), editing: url.searchParams.has('edit') };
};

export const actions: Actions = {
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
