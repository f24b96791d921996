import {
  createSandboxProvider,
  createSandboxWebhookSender,
  deliverWithFetch,
} from '@paylinks/plugin-sandbox';
import type { AnyPaymentProvider } from './provider-registry.js';

/** The payment method plugins this deployment ships with. */
export function createInstalledProviders(): AnyPaymentProvider[] {
  // The sandbox posts its signed webhooks to PUBLIC_URL like a real provider would.
  return [createSandboxProvider({ webhooks: createSandboxWebhookSender({ deliver: deliverWithFetch() }) })];
}
