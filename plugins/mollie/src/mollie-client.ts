// The named export: the package is CommonJS with `exports.default`, and Node's own ESM loader (the
// built server) hands a default import the whole exports object, which is not callable.
import { createMollieClient, type MollieClient } from '@mollie/api-client';
import type { MollieCredentials } from './mollie-credentials.js';

export type MollieClientFactory = (credentials: MollieCredentials) => MollieClient;

/**
 * One SDK client per call: each method of each workspace has its own key, and the client is cheap.
 * `apiEndpoint` is set only to reach a local simulator (PAYLINKS_MOLLIE_API_URL in tests and trials).
 */
export function mollieClientFactory(apiEndpoint?: string): MollieClientFactory {
  return ({ apiKey }) =>
    createMollieClient({
      apiKey,
      // Mollie asks integrations to name themselves in the User-Agent.
      versionStrings: 'Paylinks/1',
      ...(apiEndpoint === undefined ? {} : { apiEndpoint }),
    });
}
