import { SANDBOX_SIGNATURE_HEADER, signSandboxPayload } from './sandbox-signature.js';

export type WebhookRequest = { url: string; headers: Record<string, string>; body: string };

/** Sends one HTTP request; the app passes a thin wrapper around fetch (see deliverWithFetch). */
export type DeliverWebhook = (request: WebhookRequest) => Promise<{ status: number }>;

/** One event for one endpoint. The body is already serialised: every copy and retry sends it as is. */
export type OutgoingWebhook = { eventId: string; url: string; secret: string; body: string };

/** What a test can ask of a delivery, on top of the plain "send it once, now". */
export type DeliveryBehaviour = {
  /** Wait this long before the first attempt. */
  delayMs?: number;
  /** Deliver this many extra copies, each on its own (same event id, so the app must deduplicate). */
  duplicates?: number;
};

export type RetryPolicy = { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };

export type DeliveryOutcome = {
  eventId: string;
  url: string;
  /** 0 for the original, 1.. for duplicates. */
  copy: number;
  attempts: number;
  delivered: boolean;
  lastStatus?: number;
  lastError?: string;
};

export type ReleaseOrder = 'as-sent' | 'reversed' | 'shuffled';

export type SandboxWebhookSenderOptions = {
  deliver: DeliverWebhook;
  now?: () => Date;
  /** setTimeout by default; tests pass a manual scheduler so retries and delays take no real time. */
  setTimer?: (callback: () => void, delayMs: number) => void;
  retry?: Partial<RetryPolicy>;
  /** Applied to every send unless the send says otherwise; e.g. duplicates: 1 for a whole test run. */
  behaviour?: DeliveryBehaviour;
  /** Used by the 'shuffled' release order. */
  random?: () => number;
  onOutcome?: (outcome: DeliveryOutcome) => void;
};

export type SandboxWebhookSender = {
  /** Resolves when every copy has been delivered or given up on; never rejects. */
  send(webhook: OutgoingWebhook, behaviour?: DeliveryBehaviour): Promise<DeliveryOutcome[]>;
  /** Holds new deliveries back until release, so a test can reorder them. */
  hold(): void;
  /** Starts the held deliveries in the given order and stops holding. */
  release(order?: ReleaseOrder): void;
  /** Resolves when nothing is in flight; held deliveries are not waited for. */
  idle(): Promise<void>;
};

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 6, initialDelayMs: 1000, maxDelayMs: 60_000 };

/** Exponential backoff: initial, 2x, 4x, … capped; `attempt` is the one that just failed (1-based). */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.initialDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
}

const isSuccess = (status: number) => status >= 200 && status < 300;

export function createSandboxWebhookSender(options: SandboxWebhookSenderOptions): SandboxWebhookSender {
  const now = options.now ?? (() => new Date());
  const setTimer = options.setTimer ?? ((callback, delayMs) => void setTimeout(callback, delayMs));
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const random = options.random ?? Math.random;
  const inFlight = new Set<Promise<unknown>>();
  let held: (() => void)[] | undefined;

  const sleep = (ms: number) => new Promise<void>((resolve) => setTimer(resolve, Math.max(0, ms)));

  async function deliverCopy(
    webhook: OutgoingWebhook,
    copy: number,
    delayMs: number,
  ): Promise<DeliveryOutcome> {
    // Always through the timer, even at 0 ms: the caller (a checkout) must finish before its webhook goes out.
    await sleep(delayMs);
    let lastStatus: number | undefined;
    let lastError: string | undefined;
    for (let attempt = 1; ; attempt += 1) {
      try {
        // Signed per attempt, like real providers: a retry an hour later must not look stale.
        const signature = signSandboxPayload({ secret: webhook.secret, body: webhook.body, signedAt: now() });
        const headers = { 'content-type': 'application/json', [SANDBOX_SIGNATURE_HEADER]: signature };
        const response = await options.deliver({ url: webhook.url, headers, body: webhook.body });
        lastStatus = response.status;
        lastError = undefined;
        if (isSuccess(response.status)) {
          return {
            eventId: webhook.eventId,
            url: webhook.url,
            copy,
            attempts: attempt,
            delivered: true,
            lastStatus,
          };
        }
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
      }
      if (attempt >= policy.maxAttempts) {
        return {
          eventId: webhook.eventId,
          url: webhook.url,
          copy,
          attempts: attempt,
          delivered: false,
          ...(lastStatus === undefined ? {} : { lastStatus }),
          ...(lastError === undefined ? {} : { lastError }),
        };
      }
      await sleep(retryDelayMs(policy, attempt));
    }
  }

  function schedule(run: () => Promise<DeliveryOutcome>): Promise<DeliveryOutcome> {
    return new Promise((resolve) => {
      const start = () => {
        const running = run().then((outcome) => {
          options.onOutcome?.(outcome);
          return outcome;
        });
        inFlight.add(running);
        void running.then(() => inFlight.delete(running));
        resolve(running);
      };
      if (held) held.push(start);
      else start();
    });
  }

  function ordered<T>(items: T[], order: ReleaseOrder): T[] {
    if (order === 'reversed') return items.reverse();
    if (order === 'shuffled') {
      for (let i = items.length - 1; i > 0; i -= 1) {
        const j = Math.floor(random() * (i + 1));
        [items[i], items[j]] = [items[j] as T, items[i] as T];
      }
    }
    return items;
  }

  return {
    send(webhook, behaviour) {
      const { delayMs = 0, duplicates = 0 } = { ...options.behaviour, ...behaviour };
      const copies = Array.from({ length: 1 + Math.max(0, duplicates) }, (_, copy) =>
        schedule(() => deliverCopy(webhook, copy, delayMs)),
      );
      return Promise.all(copies);
    },
    hold() {
      held ??= [];
    },
    release(order = 'as-sent') {
      const starts = held ?? [];
      held = undefined;
      for (const start of ordered(starts, order)) start();
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

/** The deliver function for a real run: a POST with the signed headers, the status code back. */
export function deliverWithFetch(fetchImpl: typeof fetch = fetch): DeliverWebhook {
  return async (request) => {
    const response = await fetchImpl(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    // Drain the body so the connection can be reused; its content is not our concern.
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status };
  };
}
