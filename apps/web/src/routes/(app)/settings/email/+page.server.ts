import type { components } from '$lib/api/schema';
import { formValues } from '$lib/crm/form-problem';
import { formText, refuseAction } from '$lib/settings/action-refusal';
import type { Actions, PageServerLoad } from './$types';

type MailLanguage = components['schemas']['MailSettings']['defaultLanguage'];

export const load: PageServerLoad = async ({ locals }) => {
  const { data, response } = await locals.api.GET('/api/mail-settings');
  if (!data) throw new Error(`GET /api/mail-settings answered ${response.status}`);
  return { mailSettings: data };
};

export const actions: Actions = {
  save: async ({ locals, request }) => {
    const form = await request.formData();
    const days = formText(form, 'defaultReminderDays').trim();
    const { data, error, response } = await locals.api.PATCH('/api/mail-settings', {
      body: {
        // The API checks the language and the number and names the field it refuses.
        defaultLanguage: formText(form, 'defaultLanguage') as MailLanguage,
        defaultReminderDays: days === '' ? null : Number(days),
      },
    });
    if (!data)
      return refuseAction('save', response, error, {
        values: formValues(form),
        fields: ['defaultLanguage', 'defaultReminderDays'],
      });
    return { action: 'save', saved: true };
  },
};
