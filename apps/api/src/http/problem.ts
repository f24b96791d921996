import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** One fault in a request: a stable code, the field at fault (if any) and a message for humans. */
export interface ProblemDetail {
  code: string;
  field?: string;
  message: string;
}

/** What the API answers for every refusal: RFC 9457 problem details plus our stable `code` and `field`. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  field?: string;
  detail: string;
  errors?: ProblemDetail[];
}

/**
 * Thrown inside a handler to stop and answer with a problem. Handlers return domain errors as values;
 * this is only the last step that turns one into HTTP, so the error handler can answer uniformly.
 */
export class ProblemError extends Error {
  readonly status: ContentfulStatusCode;
  readonly problem: ProblemDetail;
  readonly errors: ProblemDetail[] | undefined;

  constructor(status: ContentfulStatusCode, problem: ProblemDetail, errors?: ProblemDetail[]) {
    super(problem.message);
    this.name = 'ProblemError';
    this.status = status;
    this.problem = problem;
    this.errors = errors;
  }
}

const titles: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function problemBody(status: number, problem: ProblemDetail, errors?: ProblemDetail[]): ProblemBody {
  return {
    type: 'about:blank',
    title: titles[status] ?? 'Error',
    status,
    code: problem.code,
    ...(problem.field === undefined ? {} : { field: problem.field }),
    detail: problem.message,
    ...(errors === undefined ? {} : { errors }),
  };
}

export function problemResponse(
  c: Context,
  status: ContentfulStatusCode,
  problem: ProblemDetail,
  errors?: ProblemDetail[],
): Response {
  return c.body(JSON.stringify(problemBody(status, problem, errors)), status, {
    'content-type': 'application/problem+json',
  });
}
