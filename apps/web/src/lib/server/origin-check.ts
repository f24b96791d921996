const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request to a page (not /api/, which checks its own) may change something: a form post
 * must come from our own origin. Browsers send Origin on every POST; a missing one, `null` (what
 * Chromium sends under `Referrer-Policy: no-referrer`) or a foreign one is refused. SvelteKit's own
 * check is off (svelte.config.js) so that providers' form-encoded webhooks reach /api/.
 */
export function isCrossSiteMutation(request: Request, ownOrigin: string): boolean {
  if (safeMethods.has(request.method)) return false;
  return request.headers.get('origin') !== ownOrigin;
}

export function crossSiteRefusal(): Response {
  return new Response('Cross-site form submissions are refused. Go back, reload the page and try again.', {
    status: 403,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  });
}
