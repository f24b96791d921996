import { z } from 'zod';
import type { AnyPaymentProvider } from './provider-registry.js';

/**
 * A provider with an API key, for tests of connecting real-looking credentials. The key decides
 * what verifyCredentials answers: `sk_reject…` is refused, `sk_retry…` is a provider outage,
 * `sk_throw…` is a plugin bug; anything else is accepted.
 */
export function createTestKeyProvider(): AnyPaymentProvider {
  return {
    id: 'testkey',
    displayName: 'Test Key Pay',
    currencies: ['EUR', 'USD'],
    credentialsSchema: z.strictObject({ apiKey: z.string().regex(/^sk_[A-Za-z0-9_]{8,100}$/) }),
    capabilities: { refunds: false, partialRefunds: false, statusFetch: false, cancelCheckout: false },
    async verifyCredentials({ apiKey }: { apiKey: string }) {
      if (apiKey.startsWith('sk_throw')) throw new Error(`boom with ${apiKey}`);
      if (apiKey.startsWith('sk_retry')) {
        return { ok: false, error: { kind: 'retryable', message: 'Service unavailable' } };
      }
      if (apiKey.startsWith('sk_reject')) {
        return { ok: false, error: { kind: 'config', message: 'Invalid API key provided' } };
      }
      return { ok: true, value: undefined };
    },
    async startCheckout() {
      return { kind: 'failed', error: { kind: 'invalid', message: 'not in tests' } };
    },
    async parseWebhook() {
      return { kind: 'ignored', reason: 'not in tests' };
    },
  };
}

/** A provider whose credentials form JSON Schema cannot describe. */
export function createDateCredentialsProvider(): AnyPaymentProvider {
  return {
    ...createTestKeyProvider(),
    id: 'dated',
    displayName: 'Dated Pay',
    credentialsSchema: z.object({ since: z.date() }),
  };
}
