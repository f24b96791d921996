import type { RequestEvent } from '@sveltejs/kit';
import createClient from 'openapi-fetch';
import type { paths } from './schema';

export type ApiClient = ReturnType<typeof createClient<paths>>;

/**
 * The API as loads and actions call it. `event.fetch` to our own origin stays in-process, carries the
 * visitor's cookies and Accept-Language, sets our Origin, and passes Set-Cookie back to the browser.
 * It does not forward User-Agent or Sec-Purpose: pass those yourself where the API needs them.
 */
export function createApiClient(event: Pick<RequestEvent, 'url' | 'fetch'>): ApiClient {
  return createClient<paths>({ baseUrl: event.url.origin, fetch: event.fetch });
}
