import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** The address people type: their contacts when signed in, otherwise sign-in (which offers a first sign-up). */
export const load: PageServerLoad = async ({ locals }) => {
  const { data } = await locals.api.GET('/api/me');
  redirect(303, data ? '/contacts' : '/sign-in');
};
