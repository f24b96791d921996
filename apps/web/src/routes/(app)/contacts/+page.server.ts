import { error } from '@sveltejs/kit';
import { pageLinks } from '$lib/crm/cursor-trail';
import type { PageServerLoad } from './$types';

const pageSize = 25;

export const load: PageServerLoad = async ({ locals, url }) => {
  const q = url.searchParams.get('q')?.trim() ?? '';
  const cursor = url.searchParams.get('cursor') ?? undefined;
  const { data, response } = await locals.api.GET('/api/contacts', {
    params: { query: { limit: pageSize, ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) } },
  });
  if (!data) error(response.status, 'The contacts could not be loaded');
  return { q, contacts: data.items, pages: pageLinks(url, data.nextCursor) };
};
