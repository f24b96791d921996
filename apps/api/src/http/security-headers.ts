import type { MiddlewareHandler } from 'hono';

/** JSON and CSV answers load nothing and are never framed. */
const apiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Headers on every answer of the API, errors and 404s included. `same-origin` as on the pages
 * (UI.md): `no-referrer` makes Chromium send `Origin: null`, which our Origin check refuses. HSTS
 * only when PUBLIC_URL is https, so a local http deployment is not pinned to https.
 */
export function securityHeaders(options: { https: boolean }): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    headers.set('x-content-type-options', 'nosniff');
    headers.set('referrer-policy', 'same-origin');
    headers.set('x-frame-options', 'DENY');
    // A page that needs more (the /api/docs page, openapi-routes.ts) sets its own.
    if (!headers.has('content-security-policy')) headers.set('content-security-policy', apiPolicy);
    if (options.https) headers.set('strict-transport-security', 'max-age=31536000');
  };
}
