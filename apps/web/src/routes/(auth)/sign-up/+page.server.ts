import { redirect } from '@sveltejs/kit';
import { formValues, refuse } from '$lib/crm/form-problem';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const { data } = await locals.api.GET('/api/signup');
  // Closed: people join by invitation, so the only way on is signing in.
  if (!data?.open) redirect(303, '/sign-in');
};

const fields = ['workspaceName', 'name', 'email', 'password'] as const;

export const actions: Actions = {
  default: async ({ locals, request }) => {
    const values = formValues(await request.formData());
    const { error, response } = await locals.api.POST('/api/signup', {
      body: {
        workspaceName: values.workspaceName ?? '',
        name: values.name ?? '',
        email: values.email ?? '',
        password: values.password ?? '',
      },
    });
    const { password: _never, ...typed } = values;
    if (!response.ok) return refuse(response.status, error, typed, fields);
    redirect(303, '/contacts');
  },
};
