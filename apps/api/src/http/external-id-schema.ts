import { isUniqueViolation } from '@paylinks/db';
import { ProblemError } from './problem.js';
import { text } from './text-schema.js';

/** The integrator's own id for a contact or a deal, unique per workspace; taken as sent, not trimmed. */
export const externalIdSchema = text({ min: 1, max: 200, trim: false }).openapi({
  description: 'Your own id for this row (1–200 characters), unique in the workspace',
  example: 'crm-42',
});

/** Another row of the workspace already has this external id: 409 naming the field. */
export function externalIdTaken(error: unknown, constraint: string): ProblemError | undefined {
  if (!isUniqueViolation(error, constraint)) return undefined;
  return new ProblemError(409, {
    code: 'external_id_taken',
    field: 'externalId',
    message: 'Another row of this workspace already has this externalId.',
  });
}
