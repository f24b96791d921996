import {
  createSandboxProvider,
  createSandboxWebhookSender,
  deliverWithFetch,
} from '@paylinks/plugin-sandbox';
import { createStripeProvider, parseStripeApiUrl } from '@paylinks/plugin-stripe';
import type { AnyPaymentProvider } from './provider-registry.js';

/**
 * The payment method plugins this deployment ships with. PAYLINKS_STRIPE_API_URL points Stripe at a
 * local simulator (tests, local trials); it is read once here and is never a per-workspace setting.
 */
export function createInstalledProviders(
  env: Readonly<Record<string, string | undefined>> = process.env,
): AnyPaymentProvider[] {
  const stripeApiUrl = env.PAYLINKS_STRIPE_API_URL;
  return [
    // The sandbox posts its signed webhooks to PUBLIC_URL like a real provider would.
    createSandboxProvider({ webhooks: createSandboxWebhookSender({ deliver: deliverWithFetch() }) }),
    createStripeProvider(stripeApiUrl ? { api: parseStripeApiUrl(stripeApiUrl) } : {}),
  ];
}
