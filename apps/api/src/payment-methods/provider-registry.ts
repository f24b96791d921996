import type { PaymentProvider } from '@paylinks/core';

// Each plugin has its own credential and checkout-field types; the registry holds them side by side.
// biome-ignore lint/suspicious/noExplicitAny: the registry is heterogeneous by design.
export type AnyPaymentProvider = PaymentProvider<any, any>;

/** The payment providers installed in this deployment, by plugin id. */
export type ProviderRegistry = ReadonlyMap<string, AnyPaymentProvider>;

export function createProviderRegistry(providers: readonly AnyPaymentProvider[]): ProviderRegistry {
  return new Map(providers.map((provider) => [provider.id, provider]));
}
