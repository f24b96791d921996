import { error } from '@sveltejs/kit';
import { contactBody, contactFields } from '$lib/crm/contact-form';
import { formValues, refuse } from '$lib/crm/form-problem';
import { tabOf } from '$lib/crm/tabs';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
  const tab = tabOf(url);
  const { data: contact, response } = await locals.api.GET('/api/contacts/{id}', {
    params: { path: { id: params.id } },
  });
  if (!contact) error(response.status === 404 ? 404 : response.status, 'Contact not found');
  return { contact, tab, editing: url.searchParams.has('edit') };
};

export const actions: Actions = {
  saveContact: async ({ locals, params, request }) => {
    const values = formValues(await request.formData());
    const {
      data,
      error: problem,
      response,
    } = await locals.api.PATCH('/api/contacts/{id}', {
      params: { path: { id: params.id } },
      body: contactBody(values),
    });
    if (!data) return refuse(response.status, problem, values, contactFields);
    return { saved: true };
  },
};
