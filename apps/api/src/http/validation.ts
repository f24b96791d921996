import type { Hook } from '@hono/zod-openapi';
import type { z } from 'zod';
import { type ProblemDetail, ProblemError } from './problem.js';

/** Every zod refusal becomes one 422 problem: the first field at fault on top, all of them in `errors`. */
export function validationProblem(issues: readonly z.core.$ZodIssue[], input: unknown): ProblemError {
  const errors = issues.map((issue) => issueToProblem(issue, input));
  const first = errors[0] ?? { code: 'invalid_request', message: 'The request is not valid.' };
  return new ProblemError(
    422,
    { code: 'validation_failed', ...(first.field ? { field: first.field } : {}), message: first.message },
    errors,
  );
}

// Hook is generic over the route's input; the validation answer does not depend on it.
// biome-ignore lint/suspicious/noExplicitAny: the hook must accept every route's schema.
export const validationHook: Hook<any, any, any, any> = (result) => {
  // zod-validator passes the raw input as `data` on failure too; zod-openapi's type omits it.
  if (!result.success) throw validationProblem(result.error.issues, (result as { data?: unknown }).data);
};

function issueToProblem(issue: z.core.$ZodIssue, input: unknown): ProblemDetail {
  // An unknown key is reported on its parent object; the key itself is the field at fault.
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
  const field = path.map(String).filter(Boolean).join('.');
  return { code: issueCode(issue, input), ...(field ? { field } : {}), message: issue.message };
}

// zod does not report the offending value, so a missing field is told apart from a wrong type here.
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function issueCode(issue: z.core.$ZodIssue, input: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return valueAt(input, issue.path) === undefined ? 'required' : 'invalid_type';
    case 'too_big':
      return 'too_big';
    case 'too_small':
      return 'too_small';
    case 'invalid_format':
      return `invalid_${issue.format}`;
    case 'unrecognized_keys':
      return 'unknown_field';
    case 'invalid_value':
      return 'invalid_value';
    case 'custom':
      // A refinement names its own stable code (text-schema.ts: control_character).
      return typeof issue.params?.code === 'string' ? issue.params.code : 'invalid';
    default:
      return 'invalid';
  }
}
