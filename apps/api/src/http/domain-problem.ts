import type { DomainError } from '@paylinks/core';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ProblemError } from './problem.js';

/** A domain error as the HTTP answer a client can act on. */
export function domainProblem(error: DomainError): ProblemError {
  return new ProblemError(statusFor(error), {
    code: error.code,
    ...(error.field === undefined ? {} : { field: error.field }),
    message: error.message,
  });
}

function statusFor(error: DomainError): ContentfulStatusCode {
  return error.code === 'transition_not_allowed' ? 409 : 422;
}
