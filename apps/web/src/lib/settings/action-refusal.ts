import { fail } from '@sveltejs/kit';
import type { ApiProblem, FormRefusal } from '$lib/crm/form-problem';
import { m } from '$lib/paraglide/messages';

/**
 * A settings page holds many forms (one per stage, member, key…): a refusal says which action and
 * which row it belongs to, so the page shows it by that form and nowhere else.
 */
export interface ActionRefusal extends FormRefusal {
  action: string;
  target?: string;
}

export function refuseAction(
  action: string,
  response: Response,
  problem: ApiProblem | undefined,
  options: { values?: Record<string, string>; fields?: readonly string[]; target?: string } = {},
) {
  const status = response.status >= 400 ? response.status : 500;
  return fail(status, {
    action,
    ...(options.target ? { target: options.target } : {}),
    values: options.values ?? {},
    ...placeIssues(problem, options.fields ?? []),
  } satisfies ActionRefusal);
}

/**
 * Each issue by the field it names: the API's full dotted path when the form has it
 * (`credentials.apiKey`), else its last part (`email`); anything else is the form's message.
 */
export function placeIssues(problem: ApiProblem | undefined, fields: readonly string[]) {
  const fieldErrors: Record<string, string> = {};
  let message: string | undefined;
  const issues = problem?.errors?.length
    ? problem.errors
    : [{ code: problem?.code ?? '', field: problem?.field, message: problem?.detail ?? '' }];
  for (const issue of issues) {
    const text = issue.message || problem?.detail || '';
    const path = issue.field ?? '';
    const field = fields.includes(path) ? path : fields.find((name) => name === path.split('.').pop());
    if (field) fieldErrors[field] ??= text;
    else message ??= text;
  }
  // A refusal with nothing to say (a 5xx without a body) still tells the member it did not work.
  if (!message && Object.keys(fieldErrors).length === 0) message = m.crm_settings_error_generic();
  return { fieldErrors, ...(message ? { message } : {}) };
}

/** The refusal for this form, if the last submission was this form's. */
export function refusalOf(form: unknown, action: string, target?: string): ActionRefusal | undefined {
  if (!form || typeof form !== 'object') return undefined;
  const candidate = form as Partial<ActionRefusal>;
  if (candidate.action !== action || candidate.fieldErrors === undefined) return undefined;
  return candidate.target === target ? (candidate as ActionRefusal) : undefined;
}

/** A text field of a posted form ('' when absent). */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/** Whether the last submission was this form's and it went through. */
export function succeeded(form: unknown, action: string, target?: string): boolean {
  if (!form || typeof form !== 'object') return false;
  const result = form as { action?: unknown; target?: unknown; fieldErrors?: unknown };
  return result.action === action && result.target === target && result.fieldErrors === undefined;
}
