import { formValues } from '$lib/crm/form-problem';
import { formText, refuseAction } from '$lib/settings/action-refusal';
import type { Actions, PageServerLoad } from './$types';
import { paymentStatusesInOrder } from './payment-status-labels';

export const load: PageServerLoad = async ({ locals }) => {
  const { data, response } = await locals.api.GET('/api/pipelines');
  if (!data) throw new Error(`GET /api/pipelines answered ${response.status}`);
  // A workspace has at most 50 pipelines (the API's bound), so one call each stays small.
  const automations = await Promise.all(
    data.pipelines.map(async (pipeline) => {
      const answer = await locals.api.GET('/api/pipelines/{id}/automations', {
        params: { path: { id: pipeline.id } },
      });
      if (!answer.data) throw new Error(`GET automations answered ${answer.response.status}`);
      return [pipeline.id, answer.data] as const;
    }),
  );
  return { pipelines: data.pipelines, automations: Object.fromEntries(automations) };
};

const pipelinePath = (form: FormData) => ({ path: { id: formText(form, 'pipelineId') } });
const stagePath = (form: FormData) => ({
  path: { id: formText(form, 'pipelineId'), stageId: formText(form, 'stageId') },
});

export const actions: Actions = {
  createPipeline: async ({ locals, request }) => {
    const form = await request.formData();
    // One stage name a line, in board order: the API needs at least one.
    const stages = formText(form, 'stages')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean);
    const { error, response } = await locals.api.POST('/api/pipelines', {
      body: { name: formText(form, 'name'), stages },
    });
    if (error)
      return refuseAction('createPipeline', response, error, {
        values: formValues(form),
        fields: ['name', 'stages'],
      });
    return { action: 'createPipeline', created: true };
  },

  setDefault: async ({ locals, request }) => {
    const form = await request.formData();
    const { error, response } = await locals.api.POST('/api/pipelines/{id}/default', {
      params: pipelinePath(form),
    });
    if (error) return refuseAction('setDefault', response, error, { target: formText(form, 'pipelineId') });
    return { action: 'setDefault' };
  },

  addStage: async ({ locals, request }) => {
    const form = await request.formData();
    const target = formText(form, 'pipelineId');
    const { error, response } = await locals.api.POST('/api/pipelines/{id}/stages', {
      params: pipelinePath(form),
      body: { name: formText(form, 'name') },
    });
    if (error)
      return refuseAction('addStage', response, error, {
        target,
        values: formValues(form),
        fields: ['name'],
      });
    return { action: 'addStage', target };
  },

  renameStage: async ({ locals, request }) => {
    const form = await request.formData();
    const target = formText(form, 'stageId');
    const { error, response } = await locals.api.PATCH('/api/pipelines/{id}/stages/{stageId}', {
      params: stagePath(form),
      body: { name: formText(form, 'name') },
    });
    if (error)
      return refuseAction('stage', response, error, { target, values: formValues(form), fields: ['name'] });
    return { action: 'stage', target, saved: true };
  },

  /** Up or down by one place: the stage swaps with its neighbour, the rest keep their order. */
  moveStage: async ({ locals, request }) => {
    const form = await request.formData();
    const target = formText(form, 'stageId');
    const current = await locals.api.GET('/api/pipelines/{id}', { params: pipelinePath(form) });
    if (!current.data) return refuseAction('stage', current.response, current.error, { target });
    const ids = current.data.stages.map((stage) => stage.id);
    const from = ids.indexOf(target);
    const to = from + (formText(form, 'direction') === 'up' ? -1 : 1);
    if (from === -1 || to < 0 || to >= ids.length) return { action: 'stage', target };
    [ids[from], ids[to]] = [ids[to]!, ids[from]!];
    const { error, response } = await locals.api.PUT('/api/pipelines/{id}/stages/order', {
      params: pipelinePath(form),
      body: { stageIds: ids },
    });
    if (error) return refuseAction('stage', response, error, { target });
    return { action: 'stage', target, moved: true };
  },

  deleteStage: async ({ locals, request }) => {
    const form = await request.formData();
    const target = formText(form, 'stageId');
    const { error, response } = await locals.api.DELETE('/api/pipelines/{id}/stages/{stageId}', {
      params: stagePath(form),
    });
    if (error) return refuseAction('stage', response, error, { target });
    return { action: 'deleteStage', deleted: formText(form, 'name') };
  },

  saveAutomations: async ({ locals, request }) => {
    const form = await request.formData();
    const target = formText(form, 'pipelineId');
    // Every status is sent: "Don't move" is an explicit null, so clearing a target sticks.
    const body = Object.fromEntries(
      paymentStatusesInOrder.map((status) => [status, formText(form, status) || null]),
    );
    const { error, response } = await locals.api.PUT('/api/pipelines/{id}/automations', {
      params: pipelinePath(form),
      body,
    });
    if (error)
      return refuseAction('saveAutomations', response, error, {
        target,
        values: formValues(form),
        fields: paymentStatusesInOrder,
      });
    return { action: 'saveAutomations', target, saved: true };
  },
};
