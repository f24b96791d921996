import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
  const [pipelines, board] = await Promise.all([
    locals.api.GET('/api/pipelines'),
    locals.api.GET('/api/pipelines/{id}/board', { params: { path: { id: params.id } } }),
  ]);
  if (!board.data) error(board.response.status === 404 ? 404 : board.response.status, 'Pipeline not found');
  return { board: board.data, pipelines: pipelines.data?.pipelines ?? [] };
};

export const actions: Actions = {
  /** The Move form of a deal card; drag and drop submits the same form. */
  move: async ({ locals, request }) => {
    const form = await request.formData();
    const dealId = String(form.get('dealId') ?? '');
    const stageId = String(form.get('stageId') ?? '');
    const {
      data,
      error: problem,
      response,
    } = await locals.api.POST('/api/deals/{id}/move', {
      params: { path: { id: dealId } },
      body: { stageId },
    });
    if (!data)
      return fail(response.status, { moveError: problem?.detail ?? 'The deal could not be moved', dealId });
    return { moved: { dealId: data.id, title: data.title, stageId: data.stageId } };
  },
};
