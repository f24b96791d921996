import {
  createMoney,
  expiresAt,
  isExpired,
  type Money,
  parseLinkAmount,
  parseValidityDays,
} from '@paylinks/core';
import { type PaylinksTransaction, paymentLinkChanges, paymentLinks, payments } from '@paylinks/db';
import { and, eq, exists, sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import type { Caller } from '../auth/caller.js';
import { presentMoney } from '../http/money-schema.js';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';
import { editReminder } from '../link-mail/link-reminder-edit.js';
import { lockLink } from '../payments/payment-lock.js';
import { touchedAt } from '../sync/updated-at.js';
import { missing, orRefuse, refused, refuseUnchargeable } from './create-payment-link.js';
import { linkHasSuccessfulPayment } from './payment-link-reads.js';
import type { LinkChangeField, UpdatePaymentLinkInput } from './payment-link-schemas.js';

type Change = { field: LinkChangeField; from: unknown; to: unknown };

/** What was sent, checked by the same core rules as create; undefined: that field stays. */
function parseEdit(input: UpdatePaymentLinkInput) {
  const validityDays =
    input.validityDays === undefined ? undefined : orRefuse(parseValidityDays(input.validityDays));
  if ((input.amount === undefined) !== (input.currency === undefined)) {
    const field = input.amount === undefined ? 'amount' : 'currency';
    throw missing(field, 'Amount and currency are changed together; send both.');
  }
  const amount =
    input.amount === undefined ? undefined : orRefuse(parseLinkAmount(input.amount, input.currency));
  return { description: input.description, validityDays, amount };
}

/**
 * Changes a link's description, validity, reminder and (while nobody has opened it) amount, and records each
 * changed field in the link's history, in one transaction. The link is locked first (the order
 * every transaction follows: link, then payments), and a click-through records its payment under a
 * share lock on the same row (click-through-insert.ts), so an amount edit and a first visit queue:
 * either the visit's payment is there and the amount is refused, or the visit records the new one.
 */
export async function editPaymentLink(
  ctx: AppContext,
  caller: Caller,
  linkId: string,
  input: UpdatePaymentLinkInput,
): Promise<void> {
  const { workspaceId } = caller;
  const edit = parseEdit(input);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const link = await lockLink(tx, workspaceId, linkId);
    if (!link) throw notFound('id', 'payment link');
    if (link.deletedAt !== null) {
      throw new ProblemError(410, {
        code: 'link_deleted',
        field: 'id',
        message: 'This link was deleted; it can no longer be edited.',
      });
    }
    const facts = await linkFacts(tx, workspaceId, linkId);
    if (link.origin === 'deal' && (link.removedFromDealAt !== null || facts.paid)) {
      throw new ProblemError(409, {
        code: 'link_already_paid',
        field: 'id',
        message: 'This deal link is already paid; make a new link instead.',
      });
    }
    const changes: Change[] = [];
    const update: Partial<typeof paymentLinks.$inferInsert> = {};

    if (edit.description !== undefined && edit.description !== link.description) {
      changes.push({ field: 'description', from: link.description, to: edit.description });
      update.description = edit.description;
    }

    let expires = link.expiresAt;
    if (edit.validityDays !== undefined && edit.validityDays !== link.validityDays) {
      expires = expiresAt(link.createdAt, edit.validityDays);
      if (isExpired(expires, now)) {
        throw refused(
          'validity_elapsed',
          'validityDays',
          'Validity counts from the day the link was made, and that many days have already passed.',
        );
      }
      changes.push({
        field: 'validity',
        from: validity(link.validityDays, link.expiresAt),
        to: validity(edit.validityDays, expires),
      });
      update.validityDays = edit.validityDays;
      update.expiresAt = expires;
    }
    // The payer was told it expired; only a validity that opens it again may change it.
    if (isExpired(expires, now)) {
      throw new ProblemError(409, {
        code: 'link_expired',
        field: 'id',
        message: 'This link has expired; give it a longer validity to change it.',
      });
    }

    if (edit.amount !== undefined) {
      const current = storedAmount(link.amountMinor, link.currency);
      if (edit.amount.minor !== current.minor || edit.amount.currency !== current.currency) {
        if (link.type !== 'custom') {
          throw refused('not_allowed_for_type', 'amount', "A plugin type's option sets this link's amount.");
        }
        // Someone saw (and may be paying) the current amount: changing it would charge them another.
        if (facts.clicked || link.unrecordedClickThroughs > 0) {
          throw new ProblemError(409, {
            code: 'amount_locked',
            field: 'amount',
            message:
              'This link has been opened, so its amount can no longer change; make a new link instead.',
          });
        }
        refuseUnchargeable(providerOf(ctx, link.methodId, facts.providerId), edit.amount);
        changes.push({ field: 'amount', from: presentMoney(current), to: presentMoney(edit.amount) });
        update.amountMinor = edit.amount.minor;
        update.currency = edit.amount.currency;
      }
    }

    const reminder = await editReminder(tx, {
      workspaceId,
      linkId,
      userId: caller.userId,
      now,
      asked: input.remindDaysBefore,
      validityDays: update.validityDays === undefined ? link.validityDays : update.validityDays,
      expiresAt: expires,
      validityChanged: update.validityDays !== undefined,
      hasSuccessfulPayment: facts.paid,
    });
    if (reminder) {
      changes.push({
        field: 'reminder',
        from: { remindDaysBefore: reminder.from },
        to: { remindDaysBefore: reminder.to },
      });
    }

    // Metadata is the integrator's, not terms the payer sees: it changes the link, not its history.
    const metadataChanged = input.metadata !== undefined && !sameMetadata(link.metadata, input.metadata);
    if (metadataChanged) update.metadata = input.metadata;
    if (changes.length === 0 && !metadataChanged) return;
    await tx
      .update(paymentLinks)
      .set({ ...update, updatedAt: touchedAt(paymentLinks.updatedAt, now) })
      .where(and(eq(paymentLinks.workspaceId, workspaceId), eq(paymentLinks.id, linkId)));
    if (changes.length === 0) return;
    await tx.insert(paymentLinkChanges).values(
      changes.map((change) => ({
        workspaceId,
        linkId,
        field: change.field,
        fromValue: change.from,
        toValue: change.to,
        changedBy: caller.userId,
        changedAt: now,
      })),
    );
  });
}

/** Key order does not matter: jsonb keeps its own. */
function sameMetadata(stored: Record<string, string>, sent: Record<string, string>): boolean {
  const keys = Object.keys(sent);
  return keys.length === Object.keys(stored).length && keys.every((key) => stored[key] === sent[key]);
}

const validity = (validityDays: number | null, expires: Date | null) => ({
  validityDays,
  expiresAt: expires?.toISOString() ?? null,
});

function storedAmount(minor: bigint, currency: string): Money {
  const amount = createMoney(minor, currency);
  // The table's checks make this unreachable; a row that breaks them is a bug worth a 500.
  if (!amount.ok) throw new Error('payment link holds an invalid amount');
  return amount.value;
}

function providerOf(ctx: AppContext, methodId: string, providerId: string) {
  const provider = ctx.providers.get(providerId);
  if (!provider) {
    throw refused('method_unavailable', 'methodId', `The plugin behind method ${methodId} is not installed.`);
  }
  return provider;
}

/** Read after the link's lock, so a click-through committed while we waited is seen. */
async function linkFacts(tx: PaylinksTransaction, workspaceId: string, linkId: string) {
  const [row] = await tx
    .select({
      paid: linkHasSuccessfulPayment(tx),
      clicked: sql<boolean>`${exists(
        tx
          .select({ one: sql`1` })
          .from(payments)
          .where(and(eq(payments.workspaceId, workspaceId), eq(payments.linkId, linkId))),
      )}`,
      providerId: sql<string>`(select provider_id from payment_methods m
        where m.workspace_id = ${paymentLinks.workspaceId} and m.id = ${paymentLinks.methodId})`,
    })
    .from(paymentLinks)
    .where(and(eq(paymentLinks.workspaceId, workspaceId), eq(paymentLinks.id, linkId)));
  return { paid: Boolean(row!.paid), clicked: Boolean(row!.clicked), providerId: row!.providerId };
}
