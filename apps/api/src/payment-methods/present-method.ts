import type { paymentMethods } from '@paylinks/db';
import type { ProviderRegistry } from './provider-registry.js';

/** A method row without its sealed credentials: nothing secret is ever selected for a response. */
export type PublicMethodRow = Pick<
  typeof paymentMethods.$inferSelect,
  'id' | 'providerId' | 'displayName' | 'enabled' | 'mode' | 'createdAt'
>;

export function webhookUrlFor(publicUrl: string, methodId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/webhooks/${methodId}`;
}

export function presentMethod(
  row: PublicMethodRow,
  deps: { providers: ProviderRegistry; publicUrl: string },
) {
  const provider = deps.providers.get(row.providerId);
  return {
    id: row.id,
    providerId: row.providerId,
    // A plugin removed from the deployment still leaves its methods (and their payment history).
    providerName: provider?.displayName ?? row.providerId,
    providerInstalled: provider !== undefined,
    displayName: row.displayName,
    enabled: row.enabled,
    mode: row.mode,
    currencies: provider ? copyCurrencies(provider.currencies) : [],
    capabilities: provider
      ? { ...provider.capabilities }
      : { refunds: false, partialRefunds: false, statusFetch: false, cancelCheckout: false },
    webhookUrl: webhookUrlFor(deps.publicUrl, row.id),
    createdAt: row.createdAt.toISOString(),
  };
}

export function copyCurrencies(currencies: readonly string[] | 'all'): string[] | 'all' {
  return currencies === 'all' ? 'all' : [...currencies];
}
