import { error } from '@sveltejs/kit';
import { contactBody, contactFields } from '$lib/crm/contact-form';
import { formValues, refuse } from '$lib/crm/form-problem';
import { tabOf } from '$lib/crm/tabs';
import { loadPaymentsTab, paymentsTabActions } from '$lib/payments-tab/server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { locals, params, url } = event;
  const { data: contact, response } = await locals.api.GET('/api/contacts/{id}', {
    params: { path: { id: params.id } },
  });
  if (!contact) error(response.status === 404 ? 404 : response.status, 'Contact not found');
  // Only the open tab is loaded: the Payments tab asks the API for links, payments and methods.
  const tab = url.searchParams.get('tab') === 'courses' ? 'courses' : tabOf(url);
  const paymentsTab = tab === 'payments' ? await loadPaymentsTab(event, { contactId: contact.id }) : null;
  const enrollments = tab === 'courses' ? await loadEnrollments(event, contact.id) : null;
  return { contact, paymentsTab, enrollments, tab, editing: url.searchParams.has('edit') };
};

/** The courses the contact was enrolled in by a payment (EDU), the revoked ones too. */
async function loadEnrollments({ locals }: Parameters<PageServerLoad>[0], contactId: string) {
  const { data, response } = await locals.api.GET('/api/edu/contacts/{contactId}/enrollments', {
    params: { path: { contactId } },
  });
  if (!data) throw new Error(`GET enrollments answered ${response.status}`);
  return data.items;
}

export const actions: Actions = {
  ...paymentsTabActions,
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
