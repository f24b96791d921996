import type { paths } from '$lib/api/schema';
import { type ApiProblem, refusal } from '$lib/crm/form-problem';
import type { PageServerLoad } from './$types';
import { filterNames, readFilters, withCursor } from './filters';

type PaymentsQuery = NonNullable<paths['/api/payments/totals']['get']['parameters']['query']>;

/** Every payment of the workspace, filtered from the URL, a page at a time, with the filter's totals. */
export const load: PageServerLoad = async ({ url, locals, parent }) => {
  const { api } = locals;
  const { values, query } = readFilters(url);
  // The URL holds strings; the API checks each one and names the field it refuses.
  const filters = query as PaymentsQuery;
  const cursor = url.searchParams.get('cursor') ?? undefined;
  const [list, totals, methods, chips, { locale }] = await Promise.all([
    api.GET('/api/payments', { params: { query: { ...filters, limit: 50, cursor } } }),
    api.GET('/api/payments/totals', { params: { query: filters } }),
    api.GET('/api/payment-methods'),
    chipNames(api, values.contactId, values.dealId),
    parent(),
  ]);
  if (!list.data && list.response.status !== 422)
    throw new Error(`GET /api/payments answered ${list.response.status}`);
  const csv = new URLSearchParams(query).toString();
  return {
    values,
    refused: list.data ? undefined : refusal(list.error as ApiProblem | undefined, values, filterNames),
    payments: list.data?.items ?? [],
    totals: totals.data?.totals ?? [],
    methods: (methods.data?.paymentMethods ?? []).map(({ id, displayName }) => ({ id, displayName })),
    chips,
    nextHref: list.data?.nextCursor ? withCursor(url, list.data.nextCursor) : null,
    firstHref: cursor ? withCursor(url, null) : null,
    // Same-origin and cookie-authenticated: the browser downloads it as the member.
    csvHref: `/api/payments/export.csv${csv ? `?${csv}` : ''}`,
    locale,
  };
};

/** The contact's and deal's names for their filter chips: the URL carries only their ids. */
async function chipNames(api: App.Locals['api'], contactId?: string, dealId?: string) {
  const [contact, deal] = await Promise.all([
    contactId ? api.GET('/api/contacts/{id}', { params: { path: { id: contactId } } }) : undefined,
    dealId ? api.GET('/api/deals/{id}', { params: { path: { id: dealId } } }) : undefined,
  ]);
  return { contact: contact?.data?.name ?? null, deal: deal?.data?.title ?? null };
}
