import { fail } from '@sveltejs/kit';

/** The API's problem+json, as much of it as a form shows. */
export interface ApiProblem {
  code?: string;
  field?: string;
  detail?: string;
  errors?: { code: string; field?: string; message: string }[];
}

/** What a refused form sends back to itself: the typing, each message by its field, the rest above. */
export interface FormRefusal {
  values: Record<string, string>;
  fieldErrors: Record<string, string>;
  message?: string;
}

/** The form's text fields by name; files and repeated names are not what these forms send. */
export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of form) if (typeof value === 'string') values[name] = value;
  return values;
}

/**
 * Places the API's refusal on the form: an issue naming a field the form has goes beside it (the
 * dotted path's last part, e.g. `body.email` → `email`); anything else becomes the form's message.
 */
export function refusal(
  problem: ApiProblem | undefined,
  values: Record<string, string>,
  formFields: readonly string[],
): FormRefusal {
  const fieldErrors: Record<string, string> = {};
  const issues = problem?.errors?.length
    ? problem.errors
    : [{ code: problem?.code ?? '', field: problem?.field, message: problem?.detail ?? '' }];
  let message: string | undefined;
  for (const issue of issues) {
    const field = issue.field?.split('.').pop();
    if (field && formFields.includes(field)) fieldErrors[field] ??= issue.message || (problem?.detail ?? '');
    else message ??= issue.message || problem?.detail;
  }
  return { values, fieldErrors, ...(message ? { message } : {}) };
}

/** `fail()` with the refusal, at the API's status (a 5xx from it stays a 5xx here). */
export function refuse(
  status: number,
  problem: ApiProblem | undefined,
  values: Record<string, string>,
  formFields: readonly string[],
) {
  return fail(status >= 400 ? status : 500, refusal(problem, values, formFields));
}
