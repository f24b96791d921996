const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return safeMethods.has(method.toUpperCase());
}

/** The Referer's origin; null when there is none or it is not a URL. */
function refererOrigin(headers: Headers): string | null {
  const referer = headers.get('referer');
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}

/**
 * Cookies ride along on cross-site requests, so a cookie-authenticated mutation must prove it
 * comes from our own pages. A browser sends Origin on every such request, and when it is there it
 * alone decides: `Origin: null` (a sandboxed frame, a data: page, a no-referrer policy) hides where
 * the request came from and is refused, whatever a Referer or Sec-Fetch-Site claims. Only a client
 * that sends no Origin at all falls back to the Referer, and a cross-site Sec-Fetch-Site refuses it.
 */
export function isSameOriginMutation(method: string, headers: Headers, ownOrigin: string): boolean {
  if (isSafeMethod(method)) return true;
  const origin = headers.get('origin');
  if (origin !== null) return origin === ownOrigin;
  if (headers.get('sec-fetch-site') === 'cross-site') return false;
  return refererOrigin(headers) === ownOrigin;
}
