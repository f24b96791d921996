import { redirect } from '@sveltejs/kit';
import { formValues, refuse } from '$lib/crm/form-problem';
import { safeNext } from '$lib/crm/safe-next';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const next = safeNext(url.searchParams.get('next'));
  const [me, signup] = await Promise.all([locals.api.GET('/api/me'), locals.api.GET('/api/signup')]);
  if (me.data) redirect(303, next);
  // A fresh install has nobody to sign in: the page leads with creating the workspace.
  return { signupOpen: signup.data?.open ?? false, next };
};

const fields = ['email', 'password'] as const;

export const actions: Actions = {
  default: async ({ locals, request, url }) => {
    const values = formValues(await request.formData());
    const { error, response } = await locals.api.POST('/api/auth/sign-in/email', {
      body: { email: values.email ?? '', password: values.password ?? '' },
    });
    const { password: _never, ...typed } = values;
    if (response.status === 401 || response.status === 403)
      return refuse(response.status, { detail: m.crm_sign_in_wrong() }, typed, fields);
    if (!response.ok) return refuse(response.status, error, typed, fields);
    // The API's Set-Cookie came back through event.fetch: the browser holds the session now.
    redirect(303, safeNext(url.searchParams.get('next')));
  },
};
