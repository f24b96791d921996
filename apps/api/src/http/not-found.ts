import { ProblemError } from './problem.js';

/** Another workspace's id answers exactly like an id that does not exist: 404, never 403. */
export function notFound(field: string, what: string): ProblemError {
  return new ProblemError(404, { code: 'not_found', field, message: `No such ${what}.` });
}
