import { isDatabaseUnavailable } from '@paylinks/db';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { errorFields, type Logger } from '../logger.js';
import { databaseUnavailableResponse } from './database-unavailable.js';
import { loggedPath } from './log-path.js';
import { ProblemError, problemResponse } from './problem.js';

/** Turns anything a handler throws into problem+json; a stack trace never reaches the client. */
export function createErrorHandler(logger: Logger) {
  return (error: Error, c: Context): Response => {
    if (error instanceof ProblemError) {
      return problemResponse(c, error.status, error.problem, error.errors);
    }
    if (error instanceof HTTPException) {
      const status = error.status as ContentfulStatusCode;
      return problemResponse(c, status, {
        code: httpExceptionCode(status, error.message),
        message: error.message || 'Request refused',
      });
    }
    if (isDatabaseUnavailable(error)) {
      logger.error('database unavailable', {
        method: c.req.method,
        path: loggedPath(c.req.path),
        ...errorFields(error),
      });
      return databaseUnavailableResponse(c);
    }
    logger.error('unhandled error', {
      method: c.req.method,
      path: loggedPath(c.req.path),
      ...errorFields(error),
      stack: stackFrames(error),
    });
    return problemResponse(c, 500, { code: 'internal_error', message: 'Something went wrong on our side.' });
  };
}

export function notFoundHandler(c: Context): Response {
  return problemResponse(c, 404, {
    code: 'not_found',
    message: `No route for ${c.req.method} ${c.req.path}`,
  });
}

function httpExceptionCode(status: number, message: string): string {
  // Hono's JSON validator reports an unparsable body only through this message.
  if (status === 400 && message.startsWith('Malformed JSON')) return 'malformed_json';
  if (status === 413) return 'payload_too_large';
  // The same code better-auth's routes answer, so one meaning has one code across the API.
  if (status === 415) return 'unsupported_media_type';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status >= 500) return 'internal_error';
  return 'bad_request';
}

/** Only the `at …` lines: a stack's first line repeats the message, which for a failed query is its SQL and parameters. */
function stackFrames(error: Error): string | undefined {
  const frames = error.stack
    ?.split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .join('\n');
  return frames || undefined;
}
