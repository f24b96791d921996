import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ProblemError } from './problem.js';

/** Every JSON body the API takes is a few KB; 64 KB leaves room and keeps one request's memory small. */
export const API_BODY_LIMIT = 64 * 1024;
/** Provider events are bigger than our own requests but still small; anything larger is not one of them. */
export const WEBHOOK_BODY_LIMIT = 256 * 1024;
/** A logo upload is the image itself, at most 200 KB (branding/logo-image.ts). */
export const LOGO_BODY_LIMIT = 200 * 1024;

const kilobytes = (bytes: number) => `${bytes / 1024} KB`;

function limitOf(maxSize: number): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new ProblemError(413, {
        code: 'payload_too_large',
        message: `Request bodies are limited to ${kilobytes(maxSize)}.`,
      });
    },
  });
}

/**
 * Mounted first on /api/*, so an oversized body is refused before anything parses it or asks who
 * sent it: a declared Content-Length is refused at once, a chunked body once it has passed the limit
 * (only that much is ever held). The rest of the body is dropped by the server (unread-request-body.ts).
 */
export function requestBodyLimit(): MiddlewareHandler {
  const api = limitOf(API_BODY_LIMIT);
  const webhooks = limitOf(WEBHOOK_BODY_LIMIT);
  const logo = limitOf(LOGO_BODY_LIMIT);
  return (c, next) => {
    if (c.req.path.startsWith('/api/webhooks/')) return webhooks(c, next);
    if (c.req.path === '/api/branding/logo') return logo(c, next);
    return api(c, next);
  };
}
