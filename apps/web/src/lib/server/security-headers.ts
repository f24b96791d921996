/**
 * Headers every page carries (its Content-Security-Policy comes from kit.csp in svelte.config.js).
 * `same-origin`, not `no-referrer`: with `no-referrer` Chromium sends `Origin: null` on a form post and
 * the no-JS payment would be refused by our own Origin check.
 */
export function setSecurityHeaders(headers: Headers, options: { https: boolean }): void {
  headers.set('x-content-type-options', 'nosniff');
  headers.set('referrer-policy', 'same-origin');
  if (options.https) headers.set('strict-transport-security', 'max-age=31536000');
}
