const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return safeMethods.has(method.toUpperCase());
}

/** The Origin header, else the Referer's origin; null when neither is usable. */
export function requestOrigin(headers: Headers): string | null {
  const origin = headers.get('origin');
  if (origin && origin !== 'null') return origin;
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
 * comes from our own pages: a matching Origin (or Referer), and no cross-site Sec-Fetch-Site.
 */
export function isSameOriginMutation(method: string, headers: Headers, ownOrigin: string): boolean {
  if (isSafeMethod(method)) return true;
  if (headers.get('sec-fetch-site') === 'cross-site') return false;
  return requestOrigin(headers) === ownOrigin;
}
