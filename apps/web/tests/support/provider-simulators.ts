import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const plugins = join(import.meta.dirname, '../../../../plugins');
const trustPreload = join(plugins, 'mollie/src/simulator/trust-preload.ts');

// The simulators come from the plugins' own sources, loaded at run time (test-only: the web app does
// not depend on the plugins, and its typecheck, with the DOM's types, stays out of theirs).
interface Simulators {
  stripe: {
    createStripeSimulator(options: { retryDelaysMs: readonly number[] }): {
      start(): Promise<string>;
      close(): Promise<void>;
      addWebhookEndpoint(endpoint: { url: string; secret: string }): void;
      deliveries: unknown[];
    };
    SIMULATOR_WEBHOOK_SECRET: string;
  };
  mollie: {
    startMollieSimulator(options: { trustInThisProcess: boolean; webhookTimeScale: number }): Promise<{
      url: string;
      apiEndpoint: string;
      certificate: string;
      webhooks: { deliveries: unknown[] };
      stop(): Promise<void>;
    }>;
  };
}
const load = async (): Promise<Simulators> => ({
  stripe: await import(pathToFileURL(join(plugins, 'stripe/src/simulator/index.ts')).href),
  mollie: await import(pathToFileURL(join(plugins, 'mollie/src/simulator/index.ts')).href),
});

export interface ProviderSimulators {
  /** What the server under test gets: the simulators' URLs and the preload trusting Mollie's certificate. */
  serverEnv: Record<string, string>;
  stripeUrl: string;
  mollieUrl: string;
  /** Journey files run in other processes: they reach the simulators' controls over HTTP here. */
  controlUrl: string;
  stop(): Promise<void>;
}

/**
 * Stripe's and Mollie's simulators for the journeys, started before the server so it can be pointed
 * at them. Webhooks go over the network to the server's PUBLIC_URL, as the providers send them:
 * Mollie to each payment's webhookUrl, Stripe to the endpoints a journey registers (the method's
 * webhook URL, as a team pastes it into Stripe's dashboard) with POST /stripe/webhook-endpoints.
 */
export async function startProviderSimulators(): Promise<ProviderSimulators> {
  const { stripe: stripePlugin, mollie: molliePlugin } = await load();
  const { createStripeSimulator, SIMULATOR_WEBHOOK_SECRET } = stripePlugin;
  const { startMollieSimulator } = molliePlugin;
  // Retries come within a second or two, so a journey never waits on Stripe's days of backoff.
  const stripe = createStripeSimulator({ retryDelaysMs: [250, 500, 1000] });
  const stripeUrl = await stripe.start();
  // This process calls no Mollie API: the server does, trusting the certificate through the preload.
  const mollie = await startMollieSimulator({ trustInThisProcess: false, webhookTimeScale: 0.001 });
  const certDir = await mkdtemp(join(tmpdir(), 'paylinks-mollie-cert-'));
  const certFile = join(certDir, 'simulator.pem');
  await writeFile(certFile, mollie.certificate);

  const control: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/stripe/webhook-endpoints') {
        const { url } = JSON.parse(body) as { url: string };
        stripe.addWebhookEndpoint({ url, secret: SIMULATOR_WEBHOOK_SECRET });
        res.writeHead(204).end();
        return;
      }
      if (req.method === 'GET' && req.url === '/deliveries') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ stripe: stripe.deliveries, mollie: mollie.webhooks.deliveries }));
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));

  return {
    serverEnv: {
      PAYLINKS_STRIPE_API_URL: stripeUrl,
      PAYLINKS_MOLLIE_API_URL: mollie.apiEndpoint,
      PAYLINKS_MOLLIE_SIMULATOR_CERT_FILE: certFile,
      // tsx for the preload's TypeScript; test servers only, never `npm start`.
      NODE_OPTIONS: `--import tsx --import ${pathToFileURL(trustPreload).href}`,
    },
    stripeUrl,
    mollieUrl: mollie.url,
    controlUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
    async stop() {
      control.closeAllConnections();
      await new Promise((resolve) => control.close(resolve));
      await Promise.all([stripe.close(), mollie.stop()]);
      await rm(certDir, { recursive: true, force: true });
    },
  };
}
