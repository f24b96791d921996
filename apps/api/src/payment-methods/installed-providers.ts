import { createMollieProvider } from '@paylinks/plugin-mollie';
import {
  createSandboxProvider,
  createSandboxWebhookSender,
  deliverWithFetch,
} from '@paylinks/plugin-sandbox';
import { createStripeProvider, parseStripeApiUrl } from '@paylinks/plugin-stripe';
import type { AnyPaymentProvider } from './provider-registry.js';

/**
 * The payment method plugins this deployment ships with. PAYLINKS_STRIPE_API_URL and
 * PAYLINKS_MOLLIE_API_URL point Stripe and Mollie at local simulators (tests, local trials); they are
 * read once here and are never a per-workspace setting.
 */
export function createInstalledProviders(
  env: Readonly<Record<string, string | undefined>> = process.env,
): AnyPaymentProvider[] {
  const stripeApiUrl = env.PAYLINKS_STRIPE_API_URL;
  const mollieApiUrl = env.PAYLINKS_MOLLIE_API_URL;
  return [
    // The sandbox posts its signed webhooks to PUBLIC_URL like a real provider would.
    createSandboxProvider({ webhooks: createSandboxWebhookSender({ deliver: deliverWithFetch() }) }),
    createStripeProvider(stripeApiUrl ? { api: parseStripeApiUrl(stripeApiUrl) } : {}),
    createMollieProvider(mollieApiUrl ? { apiEndpoint: mollieApiUrl } : {}),
  ];
}
