import type { LinkState } from '@paylinks/core';
import type { PaylinksDb } from '@paylinks/db';
import type { Clock } from '../app-context.js';
import { loadWorkspaceBranding } from '../branding/workspace-branding.js';
import { repeatEvery } from '../jobs/repeat-every.js';
import type { Logger } from '../logger.js';
import type { Mailer } from '../mail/mailer.js';
import { paymentLinkMail } from '../mail/payment-link-mail.js';
import {
  type ClaimedMail,
  claimDueMails,
  type MailOutcome,
  maxMailAttempts,
  recordOutcome,
  retryDelayMs,
} from './link-mail-claim.js';
import { type LinkMailFacts, loadLinkMailFacts } from './link-mail-facts.js';
import { sweepReminders } from './link-reminders.js';
import { smtpFailure } from './smtp-failure.js';

export interface LinkMailJobDeps {
  db: PaylinksDb;
  clock: Clock;
  logger: Logger;
  publicUrl: string;
  /** Undefined without SMTP_URL: queued mail waits until a server is configured. */
  mailer: Mailer | undefined;
}

const batchSize = 20;

/**
 * One pass: cancel or move reminders whose link changed, then claim the due mails and send each
 * outside any transaction, recording sent, a retry (with the server's answer and a backoff) or a
 * final failure. Returns how many mails it claimed.
 */
export async function runLinkMailJob(deps: LinkMailJobDeps): Promise<number> {
  const { db, clock } = deps;
  await sweepReminders(db, clock.now());
  if (!deps.mailer) return 0;
  const { mails, leaseUntil } = await claimDueMails(db, { now: clock.now(), limit: batchSize });
  for (const mail of mails) {
    const outcome = await deliver(deps, deps.mailer, mail);
    const recorded = await recordOutcome(db, mail, leaseUntil, outcome, clock.now());
    if (!recorded) deps.logger.info('link mail lease lost before recording', { mailId: mail.id });
  }
  return mails.length;
}

async function deliver(deps: LinkMailJobDeps, mailer: Mailer, mail: ClaimedMail): Promise<MailOutcome> {
  const now = deps.clock.now();
  const facts = await loadLinkMailFacts(deps.db, mail.workspaceId, mail.linkId, now);
  if (!facts) return { kind: 'cancelled', reason: 'link_deleted' };
  const unsendable = whyNotSend(mail, facts);
  if (unsendable) return { kind: 'cancelled', reason: unsendable };
  // A reminder goes where the team last sent the link, else to the address stored for the payer.
  const recipient = mail.recipient ?? facts.lastMailedTo ?? facts.storedEmails[0];
  if (!recipient) return { kind: 'cancelled', reason: 'no_recipient' };
  const language = (mail.language ?? facts.language) as LinkMailFacts['language'];
  const branding = await loadWorkspaceBranding(deps.db, mail.workspaceId);
  try {
    await mailer.send(
      paymentLinkMail({
        kind: mail.kind === 'reminder' ? 'reminder' : 'link',
        to: recipient,
        language,
        sender: branding?.displayName ?? 'Paylinks',
        support: branding?.supportEmail ?? branding?.supportUrl ?? null,
        accentColor: branding?.accentColor ?? null,
        payerName: facts.payerName,
        description: facts.description,
        amount: { minor: facts.amountMinor, currency: facts.currency as never },
        daysLeft: facts.daysLeft,
        url: `${deps.publicUrl}/pay/${facts.token}`,
        personalMessage: mail.personalMessage,
      }),
    );
    return { kind: 'sent', recipient, language };
  } catch (error) {
    const failure = smtpFailure(error);
    // The mail's id and the server's codes only: answers can quote the recipient, never the body.
    const fields = { mailId: mail.id, attempt: mail.attempts, ...failure.logFields };
    if (failure.permanent || mail.attempts >= maxMailAttempts) {
      deps.logger.error('link mail not sent', fields);
      return { kind: 'failed', smtpAnswer: failure.answer, recipient, language };
    }
    deps.logger.info('link mail deferred, will retry', fields);
    return {
      kind: 'retrying',
      smtpAnswer: failure.answer,
      nextAttemptAt: new Date(deps.clock.now().getTime() + retryDelayMs(mail.attempts)),
      recipient,
      language,
    };
  }
}

/** Why this mail should not go out now, or null. A reminder needs a payable link nobody has paid. */
function whyNotSend(mail: ClaimedMail, facts: LinkMailFacts): string | null {
  const reason = cancelReason(facts.state);
  if (reason) return reason;
  if (mail.kind === 'reminder' && facts.hasSuccessfulPayment) return 'link_paid';
  if (mail.kind === 'reminder' && facts.expiresAt === null) return 'link_unlimited';
  return null;
}

function cancelReason(state: LinkState): string | null {
  switch (state) {
    case 'active':
      return null;
    case 'deleted':
      return 'link_deleted';
    case 'paid':
      return 'link_paid';
    case 'expired':
      return 'link_expired';
    default: {
      const unhandled: never = state;
      throw new Error(`Unhandled link state ${String(unhandled)}`);
    }
  }
}

/** Every few seconds: a queued mail goes out about that long after the team member pressed Send. */
export function startLinkMailJob(deps: LinkMailJobDeps, intervalMs = 3_000): () => Promise<void> {
  return repeatEvery({ intervalMs, logger: deps.logger, failure: 'link mail job failed' }, async () => {
    await runLinkMailJob(deps);
  });
}
