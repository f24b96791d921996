import { redirect } from '@sveltejs/kit';
import { contactBody, contactFields } from '$lib/crm/contact-form';
import { formValues, refuse } from '$lib/crm/form-problem';
import type { Actions } from './$types';

export const actions: Actions = {
  default: async ({ locals, request }) => {
    const values = formValues(await request.formData());
    const { data, error, response } = await locals.api.POST('/api/contacts', { body: contactBody(values) });
    if (!data) return refuse(response.status, error, values, contactFields);
    redirect(303, `/contacts/${data.id}`);
  },
};
