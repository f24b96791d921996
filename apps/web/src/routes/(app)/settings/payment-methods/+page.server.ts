import { redirect } from '@sveltejs/kit';
import { formValues } from '$lib/crm/form-problem';
import { formText, refuseAction } from '$lib/settings/action-refusal';
import { credentialFields, credentialsFromForm } from '$lib/settings/credential-fields';
import type { Actions, PageServerLoad } from './$types';

const here = '/settings/payment-methods';

export const load: PageServerLoad = async ({ locals, url }) => {
  const [methods, providers] = await Promise.all([
    locals.api.GET('/api/payment-methods'),
    locals.api.GET('/api/payment-methods/providers'),
  ]);
  if (!methods.data || !providers.data)
    throw new Error(
      `loading payment methods answered ${methods.response.status}/${providers.response.status}`,
    );
  const chosen = providers.data.providers.find(
    (provider) => provider.id === url.searchParams.get('provider'),
  );
  return {
    methods: methods.data.paymentMethods,
    providers: providers.data.providers.map(({ id, displayName }) => ({ id, displayName })),
    connecting: chosen && {
      id: chosen.id,
      displayName: chosen.displayName,
      fields: credentialFields(chosen.credentialsSchema),
    },
    connectedId: url.searchParams.get('connected'),
  };
};

export const actions: Actions = {
  connect: async ({ locals, request }) => {
    const form = await request.formData();
    const providerId = formText(form, 'providerId');
    const providers = await locals.api.GET('/api/payment-methods/providers');
    const provider = providers.data?.providers.find((candidate) => candidate.id === providerId);
    const fields = credentialFields(provider?.credentialsSchema) ?? [];
    const displayName = formText(form, 'displayName').trim();
    const mode = formText(form, 'mode');
    const { data, error, response } = await locals.api.POST('/api/payment-methods', {
      body: {
        providerId,
        ...(displayName ? { displayName } : {}),
        ...(mode === 'test' || mode === 'live' ? { mode } : {}),
        credentials: credentialsFromForm(fields, form),
      },
    });
    if (!data) {
      // Secrets never go back into the page: the member types them again.
      const secret = new Set(fields.filter((field) => field.kind === 'secret').map((field) => field.name));
      const values = Object.fromEntries(
        Object.entries(formValues(form)).filter(([name]) => !secret.has(name)),
      );
      return refuseAction('connect', response, error, {
        values,
        fields: ['displayName', 'mode', 'credentials', ...fields.map((field) => field.name)],
      });
    }
    redirect(303, `${here}?connected=${encodeURIComponent(data.id)}`);
  },

  rename: async ({ locals, request }) => {
    const form = await request.formData();
    const id = formText(form, 'id');
    const { error, response } = await locals.api.PATCH('/api/payment-methods/{id}', {
      params: { path: { id } },
      body: { displayName: formText(form, 'displayName') },
    });
    if (error)
      return refuseAction('rename', response, error, {
        target: id,
        values: formValues(form),
        fields: ['displayName'],
      });
    return { action: 'rename', target: id, saved: true };
  },

  setEnabled: async ({ locals, request }) => {
    const form = await request.formData();
    const id = formText(form, 'id');
    const { error, response } = await locals.api.PATCH('/api/payment-methods/{id}', {
      params: { path: { id } },
      body: { enabled: formText(form, 'enabled') === 'true' },
    });
    if (error) return refuseAction('setEnabled', response, error, { target: id });
    return { action: 'setEnabled', target: id };
  },

  delete: async ({ locals, request }) => {
    const form = await request.formData();
    const id = formText(form, 'id');
    const { error, response } = await locals.api.DELETE('/api/payment-methods/{id}', {
      params: { path: { id } },
    });
    if (error) return refuseAction('delete', response, error, { target: id });
    return { action: 'delete', deleted: formText(form, 'name') };
  },
};
