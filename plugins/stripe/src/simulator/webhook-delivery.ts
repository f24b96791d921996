import Stripe from 'stripe';

export type WebhookEndpoint = { url: string; secret: string };

export type DeliveryAttempt = {
  eventId: string;
  type: string;
  url: string;
  attempt: number;
  /** The HTTP status, or 0 when the endpoint could not be reached. */
  status: number;
};

/**
 * Stripe retries a failed delivery for up to three days with exponential backoff; tests pass
 * compressed delays. The list is the wait before each retry.
 */
export const stripeRetryDelaysMs: readonly number[] = [
  60_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];

export function createWebhookDelivery(options: { retryDelaysMs: readonly number[]; now: () => Date }) {
  const attempts: DeliveryAttempt[] = [];
  const pending = new Set<Promise<void>>();

  async function post(
    endpoint: WebhookEndpoint,
    event: { id: string; type: string },
    payload: string,
    attempt: number,
  ) {
    // Signed afresh at each attempt, as Stripe does: the timestamp is the attempt's.
    const header = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: endpoint.secret,
      timestamp: Math.floor(options.now().getTime() / 1000),
    });
    let status = 0;
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header },
        body: payload,
        signal: AbortSignal.timeout(10_000),
      });
      status = response.status;
      await response.arrayBuffer();
    } catch {
      status = 0;
    }
    attempts.push({ eventId: event.id, type: event.type, url: endpoint.url, attempt, status });
    return status >= 200 && status < 300;
  }

  function track(work: Promise<void>) {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  }

  return {
    attempts,
    send(endpoints: readonly WebhookEndpoint[], event: { id: string; type: string }) {
      const payload = JSON.stringify(event, null, 2);
      for (const endpoint of endpoints) {
        track(
          (async () => {
            for (let attempt = 1; ; attempt += 1) {
              if (await post(endpoint, event, payload, attempt)) return;
              const delay = options.retryDelaysMs[attempt - 1];
              if (delay === undefined) return;
              await new Promise((resolve) => setTimeout(resolve, delay));
            }
          })(),
        );
      }
    },
    /** Resolves once every delivery has succeeded or used its retries. */
    async settled() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
