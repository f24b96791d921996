import { linkMailEvents, linkMails, type PaylinksDb } from '@paylinks/db';
import type { Clock } from '../app-context.js';
import type { Caller } from '../auth/caller.js';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';
import { hitRateLimit } from '../http/rate-limit-store.js';
import { loadLinkMailFacts } from './link-mail-facts.js';

export interface QueueLinkMailDeps {
  db: PaylinksDb;
  clock: Clock;
  /** Whether SMTP_URL is set; without it nothing could ever leave, so nothing is queued. */
  smtpConfigured: boolean;
  /** Link mails one workspace may queue per clock hour; one more answers 429. */
  perHour: number;
}

export const smtpNotConfigured = () =>
  new ProblemError(503, {
    code: 'smtp_not_configured',
    message:
      'This server cannot send email: set SMTP_URL (smtp://user:password@host:port, or smtps:// for TLS) ' +
      'and PAYLINKS_MAIL_FROM, then restart it. See "Sending links by email" in the README.',
  });

/** A refused send that tells the client when to try again (the route sets Retry-After from it). */
export class MailRateLimited extends ProblemError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, {
      code: 'rate_limited',
      message: `This workspace has sent as many link emails as it may this hour. Try again in ${retryAfterSeconds} seconds.`,
    });
  }
}

/**
 * Queues the link's mail and its "queued" history row in one transaction; the mail job sends it.
 * The recipient is the address typed by the team member or one the workspace stored for the payer,
 * never one the payer typed on the payment page. Answers the new mail's id.
 */
export async function queueLinkMail(
  deps: QueueLinkMailDeps,
  caller: Caller,
  linkId: string,
  input: { to?: string | undefined; message?: string | undefined },
): Promise<string> {
  const now = deps.clock.now();
  const facts = await loadLinkMailFacts(deps.db, caller.workspaceId, linkId, now);
  // Another workspace's link is a 404 whatever this server can send.
  if (!facts) throw notFound('id', 'payment link');
  if (!deps.smtpConfigured) throw smtpNotConfigured();
  switch (facts.state) {
    case 'active':
      break;
    case 'deleted':
      throw new ProblemError(410, {
        code: 'link_deleted',
        message: 'This link was deleted; it cannot be paid.',
      });
    case 'paid':
      throw new ProblemError(409, { code: 'link_already_paid', message: 'This deal link is already paid.' });
    case 'expired':
      throw new ProblemError(409, {
        code: 'link_expired',
        message: 'This link has expired; it cannot be paid.',
      });
    default: {
      const unhandled: never = facts.state;
      throw new Error(`Unhandled link state ${String(unhandled)}`);
    }
  }
  const recipient = input.to ?? facts.storedEmails[0];
  if (!recipient) {
    throw new ProblemError(422, {
      code: 'no_recipient',
      field: 'to',
      message: 'Neither the link nor the contact has an email address; type one.',
    });
  }
  const verdict = await hitRateLimit(deps.db, {
    bucket: `link-mail:${caller.workspaceId}`,
    windowMs: 3_600_000,
    limit: deps.perHour,
    now,
  });
  if (!verdict.allowed) throw new MailRateLimited(verdict.retryAfterSeconds);

  return deps.db.transaction(async (tx) => {
    const [mail] = await tx
      .insert(linkMails)
      .values({
        workspaceId: caller.workspaceId,
        linkId,
        kind: 'link',
        status: 'queued',
        recipient,
        language: facts.language,
        personalMessage: input.message ?? null,
        nextAttemptAt: now,
        createdBy: caller.userId,
        createdAt: now,
      })
      .returning({ id: linkMails.id });
    await tx.insert(linkMailEvents).values({
      workspaceId: caller.workspaceId,
      mailId: mail!.id,
      linkId,
      event: 'queued',
      at: now,
    });
    return mail!.id;
  });
}
