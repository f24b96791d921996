/**
 * The payment page's CSP with the providers' hosted checkout origins added to `form-action`. Its form
 * posts to our origin, which answers 303 to the provider's page, and Chromium checks `form-action`
 * against every hop of that redirect: with `'self'` alone the payer could never reach Stripe or
 * Mollie. Every other directive, and every other page's policy, stays as kit.csp wrote it.
 */
export function widenFormAction(policy: string, origins: readonly string[]): string {
  if (origins.length === 0) return policy;
  return policy
    .split(';')
    .map((directive) => {
      const [name, ...sources] = directive.trim().split(/\s+/);
      if (name?.toLowerCase() !== 'form-action') return directive;
      const added = origins.filter((origin) => !sources.includes(origin));
      const indent = /^\s*/.exec(directive)?.[0] ?? '';
      return `${indent}${[name, ...sources, ...added].join(' ')}`;
    })
    .join(';');
}

/** The public payment page and its return page: the only pages whose forms leave for a provider. */
export const isPayPage = (pathname: string) => pathname.startsWith('/pay/');
