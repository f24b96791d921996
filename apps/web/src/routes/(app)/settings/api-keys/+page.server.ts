import type { components } from '$lib/api/schema';
import { formValues } from '$lib/crm/form-problem';
import { formText, refuseAction } from '$lib/settings/action-refusal';
import { managesSettings } from '$lib/settings/roles';
import type { Actions, PageServerLoad } from './$types';

type ApiKeyScope = components['schemas']['ApiKey']['scope'];

/** Empty: a key that does not expire. Anything else goes to the API as a number, which refuses it by name. */
function expiryOf(text: string): { expiresInDays?: number } {
  const trimmed = text.trim();
  return trimmed === '' ? {} : { expiresInDays: Number(trimmed) };
}

export const load: PageServerLoad = async ({ locals, parent }) => {
  const { me } = await parent();
  // Only owners and admins may list keys (the API answers 403 to members).
  if (!managesSettings(me.role)) return { apiKeys: [] };
  const { data, response } = await locals.api.GET('/api/api-keys');
  if (!data) throw new Error(`GET /api/api-keys answered ${response.status}`);
  return { apiKeys: data.apiKeys };
};

export const actions: Actions = {
  create: async ({ locals, request }) => {
    const form = await request.formData();
    const { data, error, response } = await locals.api.POST('/api/api-keys', {
      body: {
        name: formText(form, 'name'),
        ...expiryOf(formText(form, 'expiresInDays')),
        // The API checks the value and names the field when it is not one of its scopes.
        scope: (formText(form, 'scope') || 'all') as ApiKeyScope,
      },
    });
    if (!data)
      return refuseAction('create', response, error, {
        values: formValues(form),
        fields: ['name', 'expiresInDays', 'scope'],
      });
    // Shown in this answer only: the API keeps a hash.
    return { action: 'create', created: { name: data.name ?? '', key: data.key } };
  },

  revoke: async ({ locals, request }) => {
    const form = await request.formData();
    const id = formText(form, 'id');
    const { error, response } = await locals.api.DELETE('/api/api-keys/{id}', { params: { path: { id } } });
    if (error) return refuseAction('revoke', response, error, { target: id });
    return { action: 'revoke', revoked: formText(form, 'name') };
  },
};
