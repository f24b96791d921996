import { createServer, type Server } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMollieProvider } from '../mollie-provider.js';
import { type MollieSimulator, startMollieSimulator } from './mollie-simulator.js';
import { MOLLIE_RETRY_GAPS_MS } from './webhook-sender.js';

const KEY = 'test_simulator0123456789abcdefghijk';
let simulator: MollieSimulator;
let receiver: Server;
let hookUrl = '';
const received: { body: string; contentType?: string; origin?: string }[] = [];
let failuresLeft = 0;

beforeAll(async () => {
  // Compressed so that Mollie's 26 hours of retries take a few milliseconds.
  simulator = await startMollieSimulator({ apiKeys: [KEY], webhookTimeScale: 0.000001 });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ body, contentType: req.headers['content-type'], origin: req.headers.origin });
      res.writeHead(failuresLeft-- > 0 ? 503 : 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await simulator.stop();
  receiver.close();
});

type Reply = { status: number; location?: string; text: string };

// Node's fetch ignores https.Agent; a plain https request with the simulator's certificate trusts it.
function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<Reply>((resolve, reject) => {
    const req = request(
      url,
      { method: init.method ?? 'GET', headers: init.headers, ca: simulator.certificate },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text,
            ...(res.headers.location ? { location: res.headers.location } : {}),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

const provider = () => createMollieProvider({ apiEndpoint: simulator.apiEndpoint });

async function checkout(idempotencyKey: string) {
  const result = await provider().startCheckout({
    paymentId: 'pay_sim',
    idempotencyKey,
    amount: { minor: 1234n, currency: 'EUR' },
    description: 'Simulated',
    payerEmail: 'a@example.test',
    returnUrl: 'https://paylinks.example/return',
    webhookUrl: hookUrl,
    credentials: { apiKey: KEY },
  });
  if (result.kind !== 'redirect') throw new Error(JSON.stringify(result));
  return result;
}

describe('Mollie simulator', () => {
  it('answers a repeated Idempotency-Key with the first payment', async () => {
    const first = await checkout('sim-idem');
    const again = await checkout('sim-idem');
    expect(again.providerReference).toBe(first.providerReference);
  });

  it('hosts a checkout page whose buttons redirect to the redirectUrl and call the webhook form-encoded', async () => {
    const { providerReference, redirectUrl } = await checkout('sim-page');
    const html = (await call(redirectUrl)).text;
    for (const label of ['Paid', 'Failed', 'Canceled', 'Expired'])
      expect(html).toContain(`>${label}</button>`);
    received.length = 0;
    const clicked = await call(redirectUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'status=paid',
    });
    expect(clicked.status).toBe(303);
    expect(clicked.location).toBe('https://paylinks.example/return');
    await simulator.webhooks.idle();
    expect(received).toEqual([
      {
        body: `id=${providerReference}`,
        contentType: 'application/x-www-form-urlencoded',
        origin: undefined,
      },
    ]);
    expect((await call(redirectUrl)).status, 'a paid payment’s page is closed').toBe(410);
  });

  it('retries a webhook on non-2xx, ten attempts at most, as Mollie does', async () => {
    expect(MOLLIE_RETRY_GAPS_MS.reduce((a, b) => a + b, 0) / 3_600_000).toBeCloseTo(25.85, 1);
    const { providerReference } = await checkout('sim-retry');
    received.length = 0;
    failuresLeft = 3;
    simulator.complete(providerReference, 'failed');
    await simulator.webhooks.idle();
    expect(received).toHaveLength(4);
    const attempts = simulator.webhooks.deliveries.filter((d) => d.paymentId === providerReference);
    expect(attempts.map((d) => d.status)).toEqual([503, 503, 503, 200]);

    const gaveUp = await checkout('sim-give-up');
    failuresLeft = 100;
    simulator.complete(gaveUp.providerReference, 'expired');
    await simulator.webhooks.idle();
    failuresLeft = 0;
    expect(
      simulator.webhooks.deliveries.filter((d) => d.paymentId === gaveUp.providerReference),
    ).toHaveLength(10);
  });

  it('holds webhooks while paused, so the payer’s redirect can arrive first', async () => {
    const { providerReference } = await checkout('sim-pause');
    received.length = 0;
    simulator.webhooks.pause();
    simulator.complete(providerReference, 'paid');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toHaveLength(0);
    simulator.webhooks.resume();
    await simulator.webhooks.idle();
    expect(received.map((r) => r.body)).toEqual([`id=${providerReference}`]);
  });

  it('answers errors in Mollie’s shape', async () => {
    const response = await call(`${simulator.url}/v2/payments/tr_nothere`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(response.status).toBe(404);
    expect(JSON.parse(response.text)).toMatchObject({
      status: 404,
      title: 'Not Found',
      detail: expect.any(String),
    });
    const unauthorized = await call(`${simulator.url}/v2/methods`, {
      headers: { authorization: 'Bearer test_x' },
    });
    expect(JSON.parse(unauthorized.text)).toMatchObject({ status: 401, title: 'Unauthorized Request' });
  });
});
