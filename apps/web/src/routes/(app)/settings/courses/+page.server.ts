import { fail } from '@sveltejs/kit';
import { type ApiProblem, formValues } from '$lib/crm/form-problem';
import { m } from '$lib/paraglide/messages';
import { formText, refuseAction } from '$lib/settings/action-refusal';
import type { Actions, PageServerLoad } from './$types';

const courseFields = ['title', 'description', 'amount', 'currency', 'free', 'published'] as const;

export const load: PageServerLoad = async ({ locals, url }) => {
  const { data, response } = await locals.api.GET('/api/edu/courses');
  if (!data) throw new Error(`GET /api/edu/courses answered ${response.status}`);
  // ?edit=<id> opens that course's form (a link, so it works without JavaScript).
  return { courses: data.items, editing: url.searchParams.get('edit') };
};

/** The form's course as the API takes it: a paid course has a price, a free one none. */
function courseBody(values: Record<string, string>) {
  const free = values.free === 'on';
  return {
    title: values.title ?? '',
    description: values.description ?? '',
    free,
    published: values.published === 'on',
    ...(free
      ? {}
      : { price: { amount: values.amount ?? '', currency: (values.currency ?? '').toUpperCase() } }),
  };
}

export const actions: Actions = {
  create: async ({ locals, request }) => {
    const values = formValues(await request.formData());
    const { data, error, response } = await locals.api.POST('/api/edu/courses', {
      body: courseBody(values),
    });
    if (!data) return refuseAction('create', response, error as ApiProblem, { values, fields: courseFields });
    return { action: 'create', created: data.title };
  },

  update: async ({ locals, request }) => {
    const values = formValues(await request.formData());
    const id = values.id ?? '';
    const { data, error, response } = await locals.api.PATCH('/api/edu/courses/{id}', {
      params: { path: { id } },
      body: { ...courseBody(values), ...(values.free === 'on' ? { price: null } : {}) },
    });
    if (!data)
      return refuseAction('update', response, error as ApiProblem, {
        values,
        fields: courseFields,
        target: id,
      });
    return { action: 'update', updated: data.title };
  },

  delete: async ({ locals, request }) => {
    const form = await request.formData();
    const id = formText(form, 'id');
    const title = formText(form, 'title');
    const { error, response } = await locals.api.DELETE('/api/edu/courses/{id}', {
      params: { path: { id } },
    });
    if (error || !response.ok) {
      if (response.status === 409)
        return fail(409, {
          action: 'delete',
          target: id,
          values: {},
          fieldErrors: {},
          message: m.crm_edu_course_in_use({ title }),
        });
      return refuseAction('delete', response, error as ApiProblem, { target: id });
    }
    return { action: 'delete', deleted: title };
  },
};
