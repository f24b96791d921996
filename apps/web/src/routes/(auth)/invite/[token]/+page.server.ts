import { redirect } from '@sveltejs/kit';
import { formValues, refuse } from '$lib/crm/form-problem';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
  const [view, me] = await Promise.all([
    locals.api.GET('/api/invitations/accept/{token}', { params: { path: { token: params.token } } }),
    locals.api.GET('/api/me'),
  ]);
  if (!view.data) {
    // Used, expired, withdrawn or unknown: say which, plainly, instead of a bare error page.
    return { invitation: null, problem: view.error?.code ?? 'invitation_not_found', signedInAs: null };
  }
  return { invitation: view.data, problem: null, signedInAs: me.data?.user.email ?? null };
};

const fields = ['name', 'password'] as const;

export const actions: Actions = {
  default: async ({ locals, params, request, url }) => {
    const values = formValues(await request.formData());
    const newAccount = values.intent === 'set_password';
    const { error, response } = await locals.api.POST('/api/invitations/accept/{token}', {
      params: { path: { token: params.token } },
      body: newAccount ? { name: values.name ?? '', password: values.password ?? '' } : {},
    });
    if (response.status === 401) redirect(303, `/sign-in?next=${encodeURIComponent(url.pathname)}`);
    const { password: _never, ...typed } = values;
    if (!response.ok) return refuse(response.status, error, typed, fields);
    redirect(303, '/contacts');
  },
};
