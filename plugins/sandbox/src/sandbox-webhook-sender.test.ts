import { describe, expect, it } from 'vitest';
import { verifySandboxSignature } from './sandbox-signature.js';
import {
  createSandboxWebhookSender,
  type DeliveryOutcome,
  deliverWithFetch,
  retryDelayMs,
  type SandboxWebhookSenderOptions,
  type WebhookRequest,
} from './sandbox-webhook-sender.js';
import { createManualTimers } from './test-support/manual-timers.js';

const secret = 'sbx_whsec_sender-test-secret-000000000000000000000000';
const start = new Date('2030-06-15T12:00:00Z');

function webhook(eventId: string) {
  return {
    eventId,
    url: 'https://app.test/api/webhooks/sandbox',
    secret,
    body: JSON.stringify({ id: eventId }),
  };
}

type Received = { request: WebhookRequest; at: number };

function setup(
  respond: (request: WebhookRequest, n: number) => number | Error = () => 200,
  extra: Partial<SandboxWebhookSenderOptions> = {},
) {
  const timers = createManualTimers(start);
  const received: Received[] = [];
  const sender = createSandboxWebhookSender({
    now: timers.now,
    setTimer: timers.setTimer,
    async deliver(request) {
      received.push({ request, at: timers.now().getTime() - start.getTime() });
      const answer = respond(request, received.length);
      if (answer instanceof Error) throw answer;
      return { status: answer };
    },
    ...extra,
  });
  const ids = () => received.map((r) => (JSON.parse(r.request.body) as { id: string }).id);
  return { timers, received, sender, ids };
}

describe('sandbox webhook sender', () => {
  it('delivers asynchronously: never inside the send call', async () => {
    const { timers, received, sender } = setup();
    const outcome = sender.send(webhook('evt_1'));
    expect(received).toHaveLength(0);
    await timers.advance(0);
    expect(received).toHaveLength(1);
    expect(await outcome).toEqual([
      { eventId: 'evt_1', url: webhook('evt_1').url, copy: 0, attempts: 1, delivered: true, lastStatus: 200 },
    ]);
  });

  it('POSTs the body as is with a signature that verifies at delivery time', async () => {
    const { timers, received, sender } = setup();
    void sender.send(webhook('evt_1'));
    await timers.advance(0);
    const [first] = received;
    expect(first?.request.body).toBe('{"id":"evt_1"}');
    expect(first?.request.headers['content-type']).toBe('application/json');
    const header = first?.request.headers['paylinks-sandbox-signature'];
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const verified = verifySandboxSignature({
      secret,
      body: '{"id":"evt_1"}',
      header,
      now: start,
      toleranceMs: 1000,
    });
    expect(verified.ok).toBe(true);
  });

  it('retries non-2xx answers and network errors with exponential backoff, re-signing each attempt', async () => {
    const { timers, received, sender } = setup(
      (_r, n) => (n === 1 ? 500 : n === 2 ? new Error('ECONNRESET') : n === 3 ? 429 : 204),
      {
        retry: { initialDelayMs: 1000 },
      },
    );
    const outcome = sender.send(webhook('evt_1'));
    await timers.advance(60_000);
    expect(received.map((r) => r.at)).toEqual([0, 1000, 3000, 7000]);
    const timestamps = received.map((r) => r.request.headers['paylinks-sandbox-signature']?.split(',')[0]);
    expect(new Set(timestamps).size).toBe(4);
    expect(await outcome).toEqual([
      expect.objectContaining({ delivered: true, attempts: 4, lastStatus: 204 }),
    ]);
  });

  it('gives up after the last attempt and says why, without rejecting', async () => {
    const outcomes: DeliveryOutcome[] = [];
    const { timers, received, sender } = setup(() => 503, {
      retry: { maxAttempts: 3, initialDelayMs: 10 },
      onOutcome: (o) => outcomes.push(o),
    });
    const outcome = sender.send(webhook('evt_1'));
    await timers.advance(1000);
    expect(received).toHaveLength(3);
    const expected = {
      eventId: 'evt_1',
      url: webhook('evt_1').url,
      copy: 0,
      attempts: 3,
      delivered: false,
      lastStatus: 503,
    };
    expect(await outcome).toEqual([expected]);
    expect(outcomes).toEqual([expected]);
    expect(timers.pending()).toBe(0);
  });

  it('reports a thrown error when no response ever came', async () => {
    const { timers, sender } = setup(() => new Error('ENOTFOUND'), {
      retry: { maxAttempts: 2, initialDelayMs: 1 },
    });
    const outcome = sender.send(webhook('evt_1'));
    await timers.advance(10);
    expect(await outcome).toEqual([
      expect.objectContaining({ delivered: false, attempts: 2, lastError: 'ENOTFOUND' }),
    ]);
  });

  it('caps the backoff', () => {
    const policy = { maxAttempts: 10, initialDelayMs: 1000, maxDelayMs: 5000 };
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelayMs(policy, attempt))).toEqual([
      1000, 2000, 4000, 5000, 5000,
    ]);
  });

  it('duplicates a delivery on request, keeping the event id', async () => {
    const { timers, sender, ids } = setup();
    const outcome = sender.send(webhook('evt_1'), { duplicates: 2 });
    await timers.advance(0);
    expect(ids()).toEqual(['evt_1', 'evt_1', 'evt_1']);
    expect((await outcome).map((o) => o.copy)).toEqual([0, 1, 2]);
  });

  it('delays a delivery on request', async () => {
    const { timers, received, sender } = setup();
    void sender.send(webhook('evt_1'), { delayMs: 30_000 });
    await timers.advance(29_999);
    expect(received).toHaveLength(0);
    await timers.advance(1);
    expect(received.map((r) => r.at)).toEqual([30_000]);
  });

  it('reorders by delay: a later event can overtake an earlier one', async () => {
    const { timers, sender, ids } = setup();
    void sender.send(webhook('evt_paid'), { delayMs: 5000 });
    void sender.send(webhook('evt_refunded'));
    await timers.advance(5000);
    expect(ids()).toEqual(['evt_refunded', 'evt_paid']);
  });

  it('holds deliveries and releases them reversed', async () => {
    const { timers, sender, ids } = setup();
    sender.hold();
    for (const id of ['evt_1', 'evt_2', 'evt_3']) void sender.send(webhook(id));
    await timers.advance(10_000);
    expect(ids()).toEqual([]);
    sender.release('reversed');
    await timers.advance(0);
    expect(ids()).toEqual(['evt_3', 'evt_2', 'evt_1']);
    void sender.send(webhook('evt_4'));
    await timers.advance(0);
    expect(ids()).toEqual(['evt_3', 'evt_2', 'evt_1', 'evt_4']);
  });

  it('shuffles held deliveries with the injected randomness', async () => {
    const { timers, sender, ids } = setup(() => 200, { random: () => 0 });
    sender.hold();
    for (const id of ['evt_1', 'evt_2', 'evt_3']) void sender.send(webhook(id));
    sender.release('shuffled');
    await timers.advance(0);
    // Fisher–Yates always picking index 0: [1,2,3] → [3,2,1] → [2,3,1].
    expect(ids()).toEqual(['evt_2', 'evt_3', 'evt_1']);
  });

  it('applies default behaviour from the options, and a send can override it', async () => {
    const { timers, sender, ids } = setup(() => 200, { behaviour: { duplicates: 1 } });
    void sender.send(webhook('evt_1'));
    void sender.send(webhook('evt_2'), { duplicates: 0 });
    await timers.advance(0);
    expect(ids()).toEqual(['evt_1', 'evt_1', 'evt_2']);
  });

  it('idle waits for deliveries in flight, including their retries', async () => {
    const sender = createSandboxWebhookSender({
      retry: { initialDelayMs: 1 },
      deliver: async () => ({ status: attempts++ < 2 ? 500 : 200 }),
    });
    let attempts = 0;
    void sender.send(webhook('evt_1'));
    await sender.idle();
    expect(attempts).toBe(3);
  });
});

describe('deliverWithFetch', () => {
  it('POSTs the request and returns the status', async () => {
    const calls: [string, RequestInit | undefined][] = [];
    const fakeFetch = (async (url: string, init?: RequestInit) => {
      calls.push([url, init]);
      return new Response('ok', { status: 202 });
    }) as typeof fetch;
    const request = {
      url: 'https://app.test/hook',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    };
    expect(await deliverWithFetch(fakeFetch)(request)).toEqual({ status: 202 });
    expect(calls).toEqual([
      ['https://app.test/hook', { method: 'POST', headers: request.headers, body: '{}' }],
    ]);
  });
});
