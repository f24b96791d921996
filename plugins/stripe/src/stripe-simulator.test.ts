import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Money, WebhookResult } from '@paylinks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStripeSimulator, SIMULATOR_SECRET_KEY, SIMULATOR_WEBHOOK_SECRET } from './simulator/index.js';
import { parseStripeApiUrl } from './stripe-client.js';
import { createStripeProvider, type StripeProvider } from './stripe-provider.js';

// The plugin against the simulator end to end: the SDK's real requests, the hosted page's buttons,
// and webhooks signed and retried the way Stripe sends them, received by a small local endpoint.
const received: WebhookResult[] = [];
let failFirst = 0;
const credentials = { secretKey: SIMULATOR_SECRET_KEY, webhookSecret: SIMULATOR_WEBHOOK_SECRET };
// The optional functions are all there: capabilities say so, and the conformance suite checks it.
const provider = () =>
  createStripeProvider({
    api: parseStripeApiUrl(simulator.url),
    maxNetworkRetries: 0,
  }) as Required<StripeProvider>;

const endpoint = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', async () => {
    if (failFirst > 0) {
      failFirst -= 1;
      res.writeHead(503).end();
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    received.push(await provider().parseWebhook({ rawBody: body, headers, credentials, now: new Date() }));
    res.writeHead(200).end('{}');
  });
});
const simulator = createStripeSimulator({ retryDelaysMs: [10, 20, 40] });

beforeAll(async () => {
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  await simulator.start();
  simulator.addWebhookEndpoint({
    url: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/hook`,
    secret: SIMULATOR_WEBHOOK_SECRET,
  });
});
afterAll(async () => {
  await simulator.close();
  endpoint.closeAllConnections();
  endpoint.close();
});

let counter = 0;
async function start(amount: Money, extra: { linkExpiresAt?: Date } = {}) {
  counter += 1;
  return provider().startCheckout({
    paymentId: `0b0e0c0d-0000-4000-8000-00000000000${counter}`,
    idempotencyKey: `sim-test-${Date.now()}-${counter}`,
    amount,
    description: 'Course fee',
    payerEmail: 'payer@example.test',
    returnUrl: 'https://paylinks.example/pay/tok/return?payment=1',
    webhookUrl: 'https://paylinks.example/api/webhooks/m',
    credentials,
    linkId: 'link-1',
    workspaceId: 'ws-1',
    ...extra,
  });
}

describe('the Stripe plugin on the simulator', () => {
  it('sends JPY, EUR and KWD in Stripe’s smallest unit, with metadata, email and return URLs', async () => {
    for (const amount of [
      { minor: 500n, currency: 'JPY' },
      { minor: 1050n, currency: 'EUR' },
      { minor: 5120n, currency: 'KWD' },
    ]) {
      expect((await start(amount)).kind).toBe('redirect');
    }
    const created = simulator.requests.filter((r) => r.path === '/v1/checkout/sessions' && r.status === 200);
    const lines = created
      .slice(-3)
      .map((r) => (r.form.line_items as Record<string, Record<string, unknown>>[])[0]?.price_data);
    expect(lines).toEqual([
      expect.objectContaining({ currency: 'jpy', unit_amount: '500' }),
      expect.objectContaining({ currency: 'eur', unit_amount: '1050' }),
      expect.objectContaining({ currency: 'kwd', unit_amount: '5120' }),
    ]);
    const last = created.at(-1)!;
    expect(last.form).toMatchObject({
      mode: 'payment',
      customer_email: 'payer@example.test',
      metadata: { linkId: 'link-1', workspaceId: 'ws-1' },
      success_url: 'https://paylinks.example/pay/tok/return?payment=1',
      cancel_url: 'https://paylinks.example/pay/tok/return?payment=1',
    });
    expect(last.idempotencyKey).toMatch(/^sim-test-/);
    expect(last.form.client_reference_id).toBe((last.form.metadata as Record<string, string>).paymentId);
  });

  it('refuses a KWD amount Stripe would refuse, before calling Stripe', async () => {
    const before = simulator.requests.length;
    const result = await start({ minor: 5125n, currency: 'KWD' });
    expect(result.kind === 'failed' && result.error).toMatchObject({
      kind: 'invalid',
      code: 'invalid_amount',
    });
    expect(simulator.requests.length).toBe(before);
  });

  it('never lets the session outlive the link', async () => {
    const linkExpiresAt = new Date(Date.now() + 3 * 3_600_000);
    expect((await start({ minor: 1050n, currency: 'EUR' }, { linkExpiresAt })).kind).toBe('redirect');
    expect(simulator.requests.at(-1)?.form.expires_at).toBe(
      String(Math.floor(linkExpiresAt.getTime() / 1000)),
    );
  });

  it('pays on the hosted page, redirects to the return URL and delivers a signed webhook, retried after 503s', async () => {
    const started = await start({ minor: 1050n, currency: 'EUR' });
    if (started.kind !== 'redirect') throw new Error(started.kind);
    // The payment page's form-action must allow the redirect there.
    expect(provider().checkoutOrigins).toEqual([new URL(started.redirectUrl).origin]);
    expect(createStripeProvider().checkoutOrigins).toEqual(['https://checkout.stripe.com']);
    const page = await fetch(started.redirectUrl);
    expect(await page.text()).toContain('Course fee');
    failFirst = 2;
    received.length = 0;
    const paid = await fetch(`${started.redirectUrl}/pay`, { method: 'POST', redirect: 'manual' });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe('https://paylinks.example/pay/tok/return?payment=1');
    await simulator.settled();
    const attempts = simulator.deliveries.filter((d) => d.type === 'checkout.session.completed').slice(-3);
    expect(attempts.map((d) => d.status)).toEqual([503, 503, 200]);
    expect(received).toEqual([
      {
        kind: 'events',
        events: [
          expect.objectContaining({
            status: 'complete',
            providerReference: started.providerReference,
            amount: { minor: 1050n, currency: 'EUR' },
          }),
        ],
      },
    ]);
    const fetched = await provider().fetchStatus({
      providerReference: started.providerReference,
      credentials,
    });
    expect(fetched.ok && fetched.value.status).toBe('complete');
    expect(
      (await provider().cancelCheckout({ providerReference: started.providerReference, credentials })).kind,
    ).toBe('already_paid');

    received.length = 0;
    const refund = await provider().refund({
      providerReference: started.providerReference,
      amount: { minor: 1050n, currency: 'EUR' },
      idempotencyKey: `refund-${counter}`,
      credentials,
    });
    expect(refund.kind).toBe('refunded');
    await simulator.settled();
    expect(received.flatMap((r) => (r.kind === 'events' ? r.events.map((e) => e.status) : [r.kind]))).toEqual(
      ['ignored', 'returned'],
    );
    const again = await provider().fetchStatus({ providerReference: started.providerReference, credentials });
    expect(again.ok && again.value.status).toBe('returned');
  });

  it('reports a declined card as Cancelled and keeps the session open for another card', async () => {
    const started = await start({ minor: 700n, currency: 'JPY' });
    if (started.kind !== 'redirect') throw new Error(started.kind);
    received.length = 0;
    const declined = await fetch(`${started.redirectUrl}/decline`, { method: 'POST', redirect: 'manual' });
    expect(declined.headers.get('location')).toContain('declined=1');
    await simulator.settled();
    expect(received).toEqual([
      {
        kind: 'events',
        events: [expect.objectContaining({ status: 'cancelled', amount: { minor: 700n, currency: 'JPY' } })],
      },
    ]);
    const fetched = await provider().fetchStatus({
      providerReference: started.providerReference,
      credentials,
    });
    expect(fetched.ok && fetched.value.status).toBe('processing');
  });

  it('refuses a wrong key as a config error and maps injected failures to kinds', async () => {
    const wrong = await provider().verifyCredentials({
      ...credentials,
      secretKey: 'sk_test_revoked0123456789abcdef',
    });
    expect(!wrong.ok && wrong.error.kind).toBe('config');
    expect((await provider().verifyCredentials(credentials)).ok).toBe(true);
    simulator.failNext(500, 'api_error', 'Stripe is having a moment');
    const down = await start({ minor: 1050n, currency: 'EUR' });
    expect(down.kind === 'failed' && down.error.kind).toBe('retryable');
    simulator.failNext(429, 'invalid_request_error', 'Too many requests', 'rate_limit');
    const limited = await start({ minor: 1050n, currency: 'EUR' });
    expect(limited.kind === 'failed' && limited.error).toMatchObject({
      kind: 'retryable',
      code: 'rate_limit',
    });
  });
});
