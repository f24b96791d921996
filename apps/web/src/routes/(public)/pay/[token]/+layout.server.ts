import type { LayoutServerLoad } from './$types';

/**
 * The brand of the link's workspace, for every page under the link: the payment page, its states,
 * the return pages and the error pages. Loaded beside the page's own load (not after it), and never
 * a reason to fail: without it the page shows the default look.
 */
export const load: LayoutServerLoad = async ({ params, locals }) => {
  try {
    const { data } = await locals.api.GET('/api/branding/pay/{token}', {
      params: { path: { token: params.token } },
    });
    return { brand: data ?? null };
  } catch {
    return { brand: null };
  }
};
