import { z } from 'zod';
import { copyCurrencies } from './present-method.js';
import type { AnyPaymentProvider, ProviderRegistry } from './provider-registry.js';

export interface ProviderDescription {
  id: string;
  displayName: string;
  currencies: string[] | 'all';
  capabilities: { refunds: boolean; partialRefunds: boolean; statusFetch: boolean; cancelCheckout: boolean };
  credentialsSchema?: Record<string, unknown>;
}

/**
 * The connect form as JSON Schema, describing what a client sends (`io: 'input'`). Defaults are
 * dropped: zod evaluates a default function while converting, and the sandbox's default is a
 * freshly generated webhook secret, which must be made by parsing on connect, not handed to a form.
 * A schema JSON Schema cannot express (dates, transforms with no input type…) gives undefined.
 */
export function credentialsJsonSchema(provider: AnyPaymentProvider): Record<string, unknown> | undefined {
  try {
    return z.toJSONSchema(provider.credentialsSchema, {
      io: 'input',
      override: ({ jsonSchema }) => {
        delete jsonSchema.default;
      },
    }) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** What the "Accept payments" page offers: every installed provider plugin. */
export function describeProviders(providers: ProviderRegistry): ProviderDescription[] {
  return [...providers.values()].map((provider) => {
    const credentialsSchema = credentialsJsonSchema(provider);
    return {
      id: provider.id,
      displayName: provider.displayName,
      currencies: copyCurrencies(provider.currencies),
      capabilities: { ...provider.capabilities },
      ...(credentialsSchema ? { credentialsSchema } : {}),
    };
  });
}
