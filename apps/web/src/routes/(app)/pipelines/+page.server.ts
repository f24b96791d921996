import { error, redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** Pipelines opens the default pipeline's board (the one contact payments create their deals in). */
export const load: PageServerLoad = async ({ locals }) => {
  const { data, response } = await locals.api.GET('/api/pipelines');
  if (!data) error(response.status, 'The pipelines could not be loaded');
  const chosen = data.pipelines.find((pipeline) => pipeline.isDefault) ?? data.pipelines[0];
  if (!chosen) return { pipelines: [] };
  redirect(303, `/pipelines/${chosen.id}`);
};
