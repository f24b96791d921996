import { fail } from '@sveltejs/kit';
import { formValues } from '$lib/crm/form-problem';
import { m } from '$lib/paraglide/messages';
import { formText, refuseAction } from '$lib/settings/action-refusal';
import { managesSettings } from '$lib/settings/roles';
import type { Actions, PageServerLoad } from './$types';

/** The API's own limit; checked here too so a too-large file is told so in the member's language. */
const LOGO_MAX_BYTES = 200 * 1024;
const detailFields = ['displayName', 'accentColor', 'supportEmail', 'supportUrl', 'thankYouMessage'] as const;

export const load: PageServerLoad = async ({ locals, parent }) => {
  const { me } = await parent();
  // The API answers 403 to members: they see a note instead of the forms.
  if (!managesSettings(me.role)) return { branding: null };
  const { data, response } = await locals.api.GET('/api/branding');
  if (!data) throw new Error(`GET /api/branding answered ${response.status}`);
  return { branding: data };
};

export const actions: Actions = {
  save: async ({ locals, request }) => {
    const form = await request.formData();
    const body = Object.fromEntries(
      detailFields.map((name) => [name, formText(form, name).trim()]),
    ) as Record<(typeof detailFields)[number], string>;
    const { data, error, response } = await locals.api.PUT('/api/branding', { body });
    if (!data)
      return refuseAction('save', response, error, { values: formValues(form), fields: detailFields });
    return { action: 'save', saved: true };
  },

  /** A plain multipart post (works without JavaScript); the API takes the file's bytes as the body. */
  logo: async ({ locals, request }) => {
    const form = await request.formData();
    const file = form.get('logo');
    const refuse = (status: number, message: string) =>
      fail(status, { action: 'logo', values: {}, fieldErrors: { logo: message } });
    if (!(file instanceof File) || file.size === 0)
      return refuse(422, m.crm_settings_branding_logo_missing());
    if (file.size > LOGO_MAX_BYTES) return refuse(413, m.crm_settings_branding_logo_too_large());
    const { data, error, response } = await locals.api.PUT('/api/branding/logo', {
      // The declared type is the browser's, from the file name: the API checks it against the bytes.
      body: new Uint8Array(await file.arrayBuffer()) as unknown as string,
      bodySerializer: (bytes) => bytes as unknown as BodyInit,
      headers: { 'content-type': file.type || 'application/octet-stream' },
    });
    if (!data) {
      if (response.status === 413) return refuse(413, m.crm_settings_branding_logo_too_large());
      return refuseAction('logo', response, error, { fields: ['logo'] });
    }
    return { action: 'logo', uploaded: true };
  },

  removeLogo: async ({ locals }) => {
    const { error, response } = await locals.api.DELETE('/api/branding/logo');
    if (error) return refuseAction('removeLogo', response, error);
    return { action: 'removeLogo', removed: true };
  },
};
