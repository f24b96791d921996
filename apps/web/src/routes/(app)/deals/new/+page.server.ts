import { error, redirect } from '@sveltejs/kit';
import { dealAmountBody, dealFields } from '$lib/crm/deal-form';
import { formValues, refuse } from '$lib/crm/form-problem';
import type { Actions, PageServerLoad } from './$types';

/** The contact picker searches with a plain GET (`contactQ`), so it works without JavaScript too. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const contactQ = url.searchParams.get('contactQ')?.trim() ?? '';
  const [pipelines, contacts] = await Promise.all([
    locals.api.GET('/api/pipelines'),
    locals.api.GET('/api/contacts', {
      params: { query: { limit: 10, ...(contactQ ? { q: contactQ } : {}) } },
    }),
  ]);
  if (!pipelines.data) error(pipelines.response.status, 'The pipelines could not be loaded');
  const pipeline =
    pipelines.data.pipelines.find((p) => p.id === url.searchParams.get('pipelineId')) ??
    pipelines.data.pipelines.find((p) => p.isDefault) ??
    pipelines.data.pipelines[0];
  return { contactQ, contacts: contacts.data?.items ?? [], pipeline, pipelines: pipelines.data.pipelines };
};

export const actions: Actions = {
  default: async ({ locals, request }) => {
    const values = formValues(await request.formData());
    const {
      data,
      error: problem,
      response,
    } = await locals.api.POST('/api/deals', {
      body: {
        title: values.title ?? '',
        contactId: values.contactId ?? '',
        ...(values.stageId ? { stageId: values.stageId } : {}),
        amount: dealAmountBody(values),
      },
    });
    if (!data) return refuse(response.status, problem, values, dealFields);
    redirect(303, `/pipelines/${data.pipelineId}`);
  },
};
