import Stripe from 'stripe';

export type StripeApiTarget = { host: string; port: number; protocol: 'http' | 'https' };

/** `PAYLINKS_STRIPE_API_URL` (a local simulator) as the SDK's host, port and protocol. */
export function parseStripeApiUrl(url: string): StripeApiTarget {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`PAYLINKS_STRIPE_API_URL must be http(s), got ${parsed.protocol}`);
  }
  const protocol = parsed.protocol === 'http:' ? 'http' : 'https';
  const port = parsed.port === '' ? (protocol === 'http' ? 80 : 443) : Number(parsed.port);
  return { host: parsed.hostname, port, protocol };
}

export type StripeClientOptions = {
  /** Absent: api.stripe.com. */
  api?: StripeApiTarget;
  maxNetworkRetries?: number;
  timeoutMs?: number;
};

/** One SDK client per key, so connections are reused; keys stay in memory only, never logged. */
export function createStripeClients(options: StripeClientOptions) {
  const clients = new Map<string, Stripe>();
  return (secretKey: string): Stripe => {
    let client = clients.get(secretKey);
    if (!client) {
      client = new Stripe(secretKey, {
        ...(options.api ?? {}),
        maxNetworkRetries: options.maxNetworkRetries ?? 2,
        timeout: options.timeoutMs ?? 20_000,
        appInfo: { name: 'Paylinks' },
      });
      clients.set(secretKey, client);
    }
    return client;
  };
}
