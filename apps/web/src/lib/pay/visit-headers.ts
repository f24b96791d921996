/**
 * The request headers by which the API's click-through rule tells a person opening the link from a
 * preview bot or a prefetch. `event.fetch` does not forward them, so the page passes them on.
 */
const forwarded = ['user-agent', 'sec-purpose', 'purpose', 'x-purpose', 'x-moz', 'sec-fetch-dest'] as const;

export function visitHeaders(request: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of forwarded) {
    const value = request.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  // The page is rendered again after a payment form post, and a HEAD renders it too: neither is
  // someone opening the link, and the API records only page navigations as click-throughs.
  if (request.method !== 'GET') headers['sec-fetch-dest'] = 'empty';
  return headers;
}
