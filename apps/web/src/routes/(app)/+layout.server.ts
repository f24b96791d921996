import { redirect } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import type { LayoutServerLoad } from './$types';

/** Every CRM screen needs a signed-in member: without a session, sign in first and come back. */
export const load: LayoutServerLoad = async ({ locals, url, setHeaders }) => {
  const { data: me, response } = await locals.api.GET('/api/me');
  if (!me) {
    if (response.status === 401)
      redirect(303, `/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`);
    throw new Error(`GET /api/me answered ${response.status}`);
  }
  // A member's contacts and payments: no shared cache, no copy after signing out.
  setHeaders({ 'cache-control': 'no-store' });
  // Passed down so the browser formats dates and amounts exactly as the server rendered them.
  return { me, locale: getLocale() };
};
