import { events, webhookEndpoints } from '@paylinks/db';
import { inArray } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { toEventEnvelope } from '../events/event-envelope.js';
import { repeatEvery } from '../jobs/repeat-every.js';
import { errorFields } from '../logger.js';
import { signingSecretsOf } from './endpoint-secret.js';
import { nextRetryAt } from './webhook-backoff.js';
import {
  type AttemptResult,
  type ClaimedDelivery,
  claimDueDeliveries,
  DELIVERY_LEASE_MS,
  fanOutEvents,
  recordAttempt,
} from './webhook-delivery-queue.js';
import { postWebhook } from './webhook-post.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from './webhook-signature.js';
import type { WebhookTargetPolicy } from './webhook-url-guard.js';

export type WebhookJobDeps = Pick<AppContext, 'db' | 'clock' | 'logger' | 'secretKey'> & {
  policy: WebhookTargetPolicy;
  /** How long one POST may take, answer included (5 s). */
  timeoutMs?: number;
};

/** What the serving process hands startBackgroundJobs for outgoing webhooks (PUBLIC_URL, the SSRF setting). */
export interface WebhookJobConfig {
  webhooks?: WebhookTargetPolicy;
}

export interface DeliveryReport {
  queued: number;
  sent: number;
  succeeded: number;
}

const FAN_OUT_BATCH = 500;
const SEND_BATCH = 20;
export const WEBHOOK_TIMEOUT_MS = 5_000;

/**
 * One pass: queue the outbox's new events for their endpoints, then send one batch of due
 * deliveries. No transaction is open while an endpoint is called: claims and results are each a
 * short statement of their own.
 */
export async function deliverWebhooks(deps: WebhookJobDeps): Promise<DeliveryReport> {
  let queued = 0;
  for (;;) {
    const taken = await fanOutEvents(deps.db, { now: deps.clock.now(), limit: FAN_OUT_BATCH });
    queued += taken;
    if (taken < FAN_OUT_BATCH) break;
  }
  const now = deps.clock.now();
  const claimed = await claimDueDeliveries(deps.db, {
    now,
    limit: SEND_BATCH,
    leaseUntil: new Date(now.getTime() + DELIVERY_LEASE_MS),
  });
  if (claimed.length === 0) return { queued, sent: 0, succeeded: 0 };
  const [endpointRows, eventRows] = await Promise.all([
    deps.db
      .select()
      .from(webhookEndpoints)
      .where(inArray(webhookEndpoints.id, [...new Set(claimed.map((d) => d.endpointId))])),
    deps.db
      .select()
      .from(events)
      .where(inArray(events.id, [...new Set(claimed.map((d) => d.eventId))])),
  ]);
  const results = await Promise.all(
    claimed.map(async (delivery) => {
      const endpoint = endpointRows.find(
        (e) => e.id === delivery.endpointId && e.workspaceId === delivery.workspaceId,
      );
      const event = eventRows.find(
        (e) => e.id === delivery.eventId && e.workspaceId === delivery.workspaceId,
      );
      // Both are referenced with ON DELETE CASCADE: missing means deleted since the claim.
      if (!endpoint || !event) return false;
      return sendOne(deps, delivery, endpoint, event);
    }),
  );
  return { queued, sent: claimed.length, succeeded: results.filter(Boolean).length };
}

async function sendOne(
  deps: WebhookJobDeps,
  delivery: ClaimedDelivery,
  endpoint: typeof webhookEndpoints.$inferSelect,
  event: typeof events.$inferSelect,
): Promise<boolean> {
  const facts = { workspaceId: delivery.workspaceId, endpointId: endpoint.id, deliveryId: delivery.id };
  try {
    const at = deps.clock.now();
    const body = JSON.stringify(toEventEnvelope(event));
    const outcome = await postWebhook({
      url: endpoint.url,
      body,
      headers: {
        [SIGNATURE_HEADER]: signatureHeader(signingSecretsOf(endpoint, deps.secretKey, at), body, at),
        [EVENT_ID_HEADER]: event.id,
      },
      policy: deps.policy,
      timeoutMs: deps.timeoutMs ?? WEBHOOK_TIMEOUT_MS,
    });
    const attempts = delivery.attempts + 1;
    const retryAt = outcome.ok ? null : nextRetryAt({ attempts, queuedAt: delivery.createdAt, now: at });
    const result: AttemptResult = {
      at,
      responseCode: outcome.status ?? null,
      error: outcome.ok ? null : outcome.error,
      durationMs: outcome.durationMs,
      outcome: outcome.ok
        ? { status: 'succeeded' }
        : retryAt
          ? { status: 'pending', nextAttemptAt: retryAt }
          : { status: 'failed' },
    };
    await recordAttempt(deps.db, delivery, result);
    if (!outcome.ok) {
      deps.logger.info('webhook delivery failed', {
        ...facts,
        attempts,
        ...(outcome.status ? { responseCode: outcome.status } : {}),
        final: retryAt === null,
      });
    }
    return outcome.ok;
  } catch (error) {
    // The lease runs out and another run tries again.
    deps.logger.error('webhook delivery could not be sent or recorded', { ...facts, ...errorFields(error) });
    return false;
  }
}

/** Runs deliverWebhooks every `intervalMs` until stopped; a run's failure is logged, the loop goes on. */
export function startWebhookDeliveryLoop(deps: WebhookJobDeps, intervalMs = 2_000): () => Promise<void> {
  return repeatEvery(
    { intervalMs, logger: deps.logger, failure: 'webhook delivery run failed' },
    async () => {
      await deliverWebhooks(deps);
    },
  );
}
