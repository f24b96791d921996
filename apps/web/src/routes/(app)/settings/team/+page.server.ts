import { formValues } from '$lib/crm/form-problem';
import { formText, refuseAction } from '$lib/settings/action-refusal';
import { managesSettings } from '$lib/settings/roles';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, parent }) => {
  const { me } = await parent();
  const [members, invitations] = await Promise.all([
    locals.api.GET('/api/members'),
    // Members cannot see pending invitations (the API answers 403): nothing to load for them.
    managesSettings(me.role) ? locals.api.GET('/api/invitations') : undefined,
  ]);
  if (!members.data) throw new Error(`GET /api/members answered ${members.response.status}`);
  return { members: members.data.members, invitations: invitations?.data?.invitations ?? [] };
};

const roleOf = (form: FormData) => (formText(form, 'role') === 'admin' ? 'admin' : 'member');

export const actions: Actions = {
  invite: async ({ locals, request }) => {
    const form = await request.formData();
    const { data, error, response } = await locals.api.POST('/api/invitations', {
      body: { email: formText(form, 'email').trim(), role: roleOf(form) },
    });
    if (!data)
      return refuseAction('invite', response, error, { values: formValues(form), fields: ['email', 'role'] });
    // The link is in this answer only: the page shows it once, to copy.
    return { action: 'invite', invited: { email: data.email, url: data.url, mailed: data.mailed } };
  },

  revokeInvitation: async ({ locals, request }) => {
    const form = await request.formData();
    const id = formText(form, 'id');
    const { error, response } = await locals.api.DELETE('/api/invitations/{id}', {
      params: { path: { id } },
    });
    if (error) return refuseAction('revokeInvitation', response, error, { target: id });
    return { action: 'revokeInvitation', revoked: formText(form, 'email') };
  },

  changeRole: async ({ locals, request }) => {
    const form = await request.formData();
    const userId = formText(form, 'userId');
    const { error, response } = await locals.api.PATCH('/api/members/{userId}', {
      params: { path: { userId } },
      body: { role: roleOf(form) },
    });
    if (error) return refuseAction('changeRole', response, error, { target: userId });
    return { action: 'changeRole', target: userId };
  },

  removeMember: async ({ locals, request }) => {
    const form = await request.formData();
    const userId = formText(form, 'userId');
    const { error, response } = await locals.api.DELETE('/api/members/{userId}', {
      params: { path: { userId } },
    });
    if (error) return refuseAction('removeMember', response, error, { target: userId });
    return { action: 'removeMember', removed: formText(form, 'name') };
  },
};
