import type { AnyPaymentProvider } from './provider-registry.js';

/**
 * The providers' hosted checkout origins, each one checked to be a plain http(s) origin, in the
 * form a CSP source takes: they end up in a header, so nothing else may slip through.
 */
export function checkoutOriginsOf(providers: readonly AnyPaymentProvider[]): string[] {
  const origins = new Set<string>();
  for (const provider of providers) {
    for (const declared of provider.checkoutOrigins ?? []) {
      const url = URL.canParse(declared) ? new URL(declared) : undefined;
      if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== declared) {
        throw new Error(`${provider.id} declares a checkout origin that is not an origin: ${declared}`);
      }
      origins.add(url.origin);
    }
  }
  return [...origins];
}
