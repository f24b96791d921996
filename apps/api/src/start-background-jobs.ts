import type { AppContext } from './app-context.js';
import { startEventsRetentionSweep } from './jobs/events-retention-sweep.js';
import { startIdempotencySweep } from './jobs/idempotency-sweep.js';
import { startLinkExpiryEvents } from './jobs/link-expiry-events.js';
import { startRateLimitSweep } from './jobs/rate-limit-sweep.js';
import { startReconciliationLoop } from './jobs/reconciliation.js';
import { startLinkMailJob } from './link-mail/link-mail-job.js';
import { createSmtpMailer, defaultMailFrom } from './mail/mailer.js';
import { startWebhookDeliveryLoop, type WebhookJobConfig } from './webhook-endpoints/deliver-webhooks.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'logger' | 'secretKey' | 'providers'> & {
  /** Where payment-link mail goes out and what its links point at (SMTP_URL, PAYLINKS_MAIL_FROM, PUBLIC_URL). */
  mail?: { publicUrl: string; smtpUrl: string | undefined; mailFrom: string | undefined };
};

/**
 * The loops every serving process runs, whether it is the standalone server or the web app with the
 * API embedded: each takes its work with row locks or leases, so any number of instances may run them.
 * Resolves the returned stop() once every loop's current run has finished.
 */
export function startBackgroundJobs(deps: Deps & WebhookJobConfig): () => Promise<void> {
  const { db, clock, logger } = deps;
  const stops = [
    // Payments whose webhook never came are asked about once a minute.
    startReconciliationLoop(deps, 60_000),
    // Expired Idempotency-Keys go even when nobody reuses them.
    startIdempotencySweep({ db, clock, logger }),
    // Counters of ended windows, so a spray of addresses does not grow the table for ever.
    startRateLimitSweep({ db, clock, logger }),
    // A link whose validity ended gets its one link.expired event; events go after 30 days.
    startLinkExpiryEvents({ db, clock, logger }),
    startEventsRetentionSweep({ db, clock, logger }),
    // The outbox's events to the endpoints that want them, signed, retried with backoff.
    ...(deps.webhooks
      ? [startWebhookDeliveryLoop({ db, clock, logger, secretKey: deps.secretKey, policy: deps.webhooks })]
      : []),
    // Queued link mail and due reminders; without SMTP it still cancels reminders of paid links.
    ...(deps.mail
      ? [
          startLinkMailJob({
            db,
            clock,
            logger,
            publicUrl: deps.mail.publicUrl,
            mailer: deps.mail.smtpUrl
              ? createSmtpMailer(
                  deps.mail.smtpUrl,
                  deps.mail.mailFrom ?? defaultMailFrom(deps.mail.publicUrl),
                )
              : undefined,
          }),
        ]
      : []),
  ];
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
  };
}
