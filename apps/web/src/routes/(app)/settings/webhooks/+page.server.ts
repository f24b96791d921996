import type { components } from '$lib/api/schema';
import { formValues } from '$lib/crm/form-problem';
import { formText, refuseAction } from '$lib/settings/action-refusal';
import { managesSettings } from '$lib/settings/roles';
import type { Actions, PageServerLoad } from './$types';

type EventType = Exclude<
  components['schemas']['CreateWebhookEndpoint']['eventTypes'],
  'all' | undefined
>[number];

/** None ticked means every type, including ones added later. */
function eventTypesOf(form: FormData): 'all' | EventType[] {
  const ticked = form.getAll('eventTypes').map(String) as EventType[];
  return ticked.length === 0 ? 'all' : ticked;
}

export const load: PageServerLoad = async ({ locals, parent, url }) => {
  const { me } = await parent();
  // Only owners and admins manage endpoints (the API answers 403 to members).
  if (!managesSettings(me.role)) return { endpoints: [], log: null };
  const { data, response } = await locals.api.GET('/api/webhook-endpoints');
  if (!data) throw new Error(`GET /api/webhook-endpoints answered ${response.status}`);
  const selected = data.webhookEndpoints.find((e) => e.id === url.searchParams.get('endpoint'));
  if (!selected) return { endpoints: data.webhookEndpoints, log: null };
  const cursor = url.searchParams.get('cursor') ?? undefined;
  const deliveries = await locals.api.GET('/api/webhook-endpoints/{id}/deliveries', {
    params: { path: { id: selected.id }, query: { limit: 25, ...(cursor ? { cursor } : {}) } },
  });
  if (!deliveries.data) throw new Error(`GET deliveries answered ${deliveries.response.status}`);
  return { endpoints: data.webhookEndpoints, log: { endpoint: selected, ...deliveries.data } };
};

export const actions: Actions = {
  create: async ({ locals, request }) => {
    const form = await request.formData();
    const { data, error, response } = await locals.api.POST('/api/webhook-endpoints', {
      body: {
        url: formText(form, 'url'),
        description: formText(form, 'description'),
        eventTypes: eventTypesOf(form),
      },
    });
    if (!data)
      return refuseAction('create', response, error, {
        values: { ...formValues(form), eventTypes: form.getAll('eventTypes').map(String).join(',') },
        fields: ['url', 'description', 'eventTypes'],
      });
    // Shown in this answer only: the API keeps it encrypted and never returns it again.
    return { action: 'create', secret: { url: data.url, value: data.secret } };
  },

  toggle: async ({ locals, request }) => {
    const form = await request.formData();
    const id = formText(form, 'id');
    const { error, response } = await locals.api.PATCH('/api/webhook-endpoints/{id}', {
      params: { path: { id } },
      body: { enabled: formText(form, 'enabled') === 'true' },
    });
    if (error) return refuseAction('toggle', response, error, { target: id });
    return { action: 'toggle' };
  },

  rotate: async ({ locals, request }) => {
    const form = await request.formData();
    const id = formText(form, 'id');
    const { data, error, response } = await locals.api.POST('/api/webhook-endpoints/{id}/rotate-secret', {
      params: { path: { id } },
    });
    if (!data) return refuseAction('rotate', response, error, { target: id });
    return { action: 'rotate', secret: { url: data.url, value: data.secret } };
  },

  delete: async ({ locals, request }) => {
    const form = await request.formData();
    const id = formText(form, 'id');
    const { error, response } = await locals.api.DELETE('/api/webhook-endpoints/{id}', {
      params: { path: { id } },
    });
    if (error) return refuseAction('delete', response, error, { target: id });
    return { action: 'delete', deleted: formText(form, 'url') };
  },

  resend: async ({ locals, request }) => {
    const form = await request.formData();
    const id = formText(form, 'endpointId');
    const deliveryId = formText(form, 'deliveryId');
    const { error, response } = await locals.api.POST(
      '/api/webhook-endpoints/{id}/deliveries/{deliveryId}/resend',
      {
        params: { path: { id, deliveryId } },
      },
    );
    if (error) return refuseAction('resend', response, error, { target: deliveryId });
    return { action: 'resend', resent: deliveryId };
  },
};
