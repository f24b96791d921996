/**
 * Mollie calls the webhook with `id=tr_…`, form-encoded, and tries again on any non-2xx answer or
 * timeout: 10 attempts over about 26 hours. The gaps below add up to that; tests compress them with
 * `timeScale` (0.001 turns 26 hours into about 93 seconds, 0 into "as soon as possible").
 */
export const MOLLIE_RETRY_GAPS_MS: readonly number[] = [
  60_000,
  5 * 60_000,
  15 * 60_000,
  30 * 60_000,
  60 * 60_000,
  2 * 60 * 60_000,
  4 * 60 * 60_000,
  8 * 60 * 60_000,
  10 * 60 * 60_000,
];

// Mollie gives a webhook call 15 seconds before it counts as failed.
const ATTEMPT_TIMEOUT_MS = 15_000;

export type WebhookDelivery = {
  url: string;
  paymentId: string;
  attempt: number;
  /** The HTTP status, or 0 when the call did not get an answer. */
  status: number;
  at: Date;
};

/** How one call is made; by default over the network, tests may hand it to an in-process app. */
export type DeliverWebhook = (url: string, init: RequestInit) => Promise<{ status: number }>;

export type WebhookSenderOptions = { timeScale?: number; deliver?: DeliverWebhook };

const deliverWithFetch: DeliverWebhook = async (url, init) => {
  const response = await fetch(url, { ...init, redirect: 'manual' });
  await response.arrayBuffer();
  return { status: response.status };
};

export type WebhookSender = ReturnType<typeof createWebhookSender>;

export function createWebhookSender(options: WebhookSenderOptions = {}) {
  const timeScale = options.timeScale ?? 1;
  const deliverOne = options.deliver ?? deliverWithFetch;
  const deliveries: WebhookDelivery[] = [];
  const inFlight = new Set<Promise<void>>();
  const held: (() => void)[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let paused = false;
  let stopped = false;

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms * timeScale);
      timers.add(timer);
    });

  async function attempt(url: string, paymentId: string, number: number): Promise<boolean> {
    let status = 0;
    try {
      const response = await deliverOne(url, {
        method: 'POST',
        // No Origin, no signature: exactly what Mollie sends.
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Mollie simulator' },
        body: new URLSearchParams({ id: paymentId }).toString(),
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      status = response.status;
    } catch {
      status = 0;
    }
    deliveries.push({ url, paymentId, attempt: number, status, at: new Date() });
    return status >= 200 && status < 300;
  }

  async function deliver(url: string, paymentId: string): Promise<void> {
    if (paused) await new Promise<void>((resolve) => held.push(resolve));
    for (let number = 1; !stopped; number += 1) {
      if (await attempt(url, paymentId, number)) return;
      const gap = MOLLIE_RETRY_GAPS_MS[number - 1];
      if (gap === undefined) return;
      await wait(gap);
    }
  }

  return {
    deliveries,
    /** Fire and forget, as Mollie does: the caller's answer never waits on the webhook. */
    send(url: string, paymentId: string): void {
      if (stopped) return;
      const delivery = deliver(url, paymentId).finally(() => inFlight.delete(delivery));
      inFlight.add(delivery);
    },
    /** Holds new and pending calls, so a test can let the payer's redirect arrive first. */
    pause(): void {
      paused = true;
    },
    resume(): void {
      paused = false;
      for (const release of held.splice(0)) release();
    },
    /** Resolves when every call so far has been answered 2xx or has run out of attempts. */
    async idle(): Promise<void> {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    stop(): void {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const release of held.splice(0)) release();
    },
  };
}
