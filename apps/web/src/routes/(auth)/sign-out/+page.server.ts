import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

// Signing out changes something, so it is a POST; a visit to the address just goes to sign-in.
export const load: PageServerLoad = () => redirect(303, '/sign-in');

export const actions: Actions = {
  default: async ({ locals }) => {
    // The API ends the session and clears its cookie; event.fetch passes that Set-Cookie on.
    await locals.api.POST('/api/auth/sign-out');
    redirect(303, '/sign-in');
  },
};
