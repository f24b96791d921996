import {
  chargesExactly,
  type DomainError,
  expiresAt,
  generateLinkToken,
  type Money,
  type PaymentProvider,
  parseLinkAmount,
  parseValidityDays,
  type Result,
  supportsCurrency,
} from '@paylinks/core';
import { isForeignKeyViolation, paymentLinks, selectRows } from '@paylinks/db';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import type { Caller } from '../auth/caller.js';
import { insertEventsSql, linkSnapshotSql } from '../events/event-snapshots.js';
import { domainProblem } from '../http/domain-problem.js';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';
import { reminderForNewLink, scheduleReminderCtes } from '../link-mail/link-reminders.js';
import { paymentTypeOf } from '../payment-types/installed-payment-types.js';
import { paymentTypeContext } from '../payment-types/payment-type-context.js';
import type { CreatePaymentLinkInput } from './payment-link-schemas.js';

export function orRefuse<T>(result: Result<T, DomainError>): T {
  if (!result.ok) throw domainProblem(result.error);
  return result.value;
}

export function refused(code: string, field: string, message: string): ProblemError {
  return new ProblemError(422, { code, field, message });
}

// Mirrors the automatic zod answer, so a client reads a missing id the same way as any missing field.
export function missing(field: string, message: string): ProblemError {
  return new ProblemError(422, { code: 'validation_failed', field, message }, [
    { code: 'required', field, message },
  ]);
}

/**
 * What a link is made from, in one round trip and only from the caller's workspace: the deal (for
 * a deal link), the contact (a deal link's is the deal's), and the method.
 */
async function readTarget(ctx: AppContext, workspaceId: string, input: CreatePaymentLinkInput) {
  const ws = sql`${workspaceId}::uuid`;
  const dealId = input.origin === 'deal' ? (input.dealId ?? null) : null;
  const contactId = input.origin === 'contact' ? (input.contactId ?? null) : null;
  const [row] = await selectRows<{
    deal_contact_id: string | null;
    contact_id: string | null;
    contact_name: string | null;
    contact_email: string | null;
    provider_id: string | null;
    enabled: boolean | null;
    default_reminder_days: number | null;
  }>(
    ctx.db,
    sql`select d.contact_id::text as deal_contact_id, c.id::text as contact_id, c.name as contact_name,
          c.email as contact_email, m.provider_id, m.enabled, w.default_reminder_days
        from (select 1) as one
        left join workspaces w on w.id = ${ws}
        left join deals d on d.workspace_id = ${ws} and d.id = ${dealId}::uuid
        left join contacts c on c.workspace_id = ${ws} and c.id = coalesce(d.contact_id, ${contactId}::uuid)
        left join payment_methods m on m.workspace_id = ${ws} and m.id = ${input.methodId}::uuid`,
  );
  return row!;
}

type TargetRow = Awaited<ReturnType<typeof readTarget>>;

/** The contact (and deal) the link is for, checked in the order a form is read. */
function resolveTarget(input: CreatePaymentLinkInput, row: TargetRow) {
  let dealId: string | null = null;
  if (input.origin === 'contact') {
    if (input.contactId === undefined) throw missing('contactId', 'A contact link needs contactId.');
    if (input.dealId !== undefined) {
      throw refused('not_allowed_for_origin', 'dealId', 'A contact link has no deal; use origin "deal".');
    }
  } else {
    if (input.dealId === undefined) throw missing('dealId', 'A deal link needs dealId.');
    if (input.contactId !== undefined) {
      throw refused('not_allowed_for_origin', 'contactId', "A deal link is for the deal's contact.");
    }
    if (row.deal_contact_id === null) throw notFound('dealId', 'deal');
    dealId = input.dealId;
  }
  if (row.contact_id === null) throw notFound('contactId', 'contact');
  return {
    contactId: row.contact_id,
    dealId,
    contact: { name: row.contact_name ?? '', email: row.contact_email },
  };
}

function resolveMethod(ctx: AppContext, row: TargetRow, amount: Money) {
  if (row.provider_id === null) throw notFound('methodId', 'payment method');
  if (!row.enabled) {
    throw refused('method_disabled', 'methodId', 'This payment method is disabled; enable it first.');
  }
  const provider = ctx.providers.get(row.provider_id);
  if (!provider) {
    throw refused(
      'method_unavailable',
      'methodId',
      'The plugin behind this payment method is not installed.',
    );
  }
  refuseUnchargeable(provider, amount);
}

/** The method's provider must take the currency, and the amount in its steps (create and edit). */
export function refuseUnchargeable(provider: PaymentProvider, amount: Money): void {
  const { currency } = amount;
  if (!supportsCurrency(provider, currency)) {
    throw refused(
      'currency_not_supported',
      'currency',
      `${provider.displayName} does not take payments in ${currency}.`,
    );
  }
  // Stripe charges three-decimal currencies in steps of 10: refused here rather than at checkout.
  if (!chargesExactly(provider, amount)) {
    throw refused(
      'amount_not_chargeable',
      'amount',
      `${provider.displayName} takes ${currency} amounts in steps of ${provider.amountStep?.(currency) ?? 1n} minor units.`,
    );
  }
}

/** Checks everything, then one statement: the link and its `link.created` event. Returns the new link's id. */
export async function createPaymentLink(
  ctx: AppContext,
  caller: Caller,
  input: CreatePaymentLinkInput,
): Promise<string> {
  const { workspaceId } = caller;
  const { amount, description, typeOption } = await whatItCharges(ctx, workspaceId, input);
  const validityDays = orRefuse(parseValidityDays(input.validityDays));
  const row = await readTarget(ctx, workspaceId, input);
  const target = resolveTarget(input, row);
  resolveMethod(ctx, row, amount);
  const remindDaysBefore = reminderForNewLink(
    input.remindDaysBefore,
    row.default_reminder_days,
    validityDays,
  );

  const createdAt = ctx.clock.now();
  try {
    const insert = ctx.db
      .insert(paymentLinks)
      .values({
        workspaceId,
        token: generateLinkToken(),
        origin: input.origin,
        type: input.type,
        typeOption,
        description,
        payerName: input.payerName ?? target.contact.name,
        payerEmail: input.payerEmail ?? target.contact.email,
        methodId: input.methodId,
        amountMinor: amount.minor,
        currency: amount.currency,
        validityDays,
        expiresAt: expiresAt(createdAt, validityDays),
        contactId: target.contactId,
        dealId: target.dealId,
        createdBy: caller.userId,
        metadata: input.metadata ?? {},
        createdAt,
        updatedAt: createdAt,
      })
      .returning();
    const [row] = await selectRows<{ id: string }>(
      ctx.db,
      sql`with created as (${insert.getSQL()}),
        ${insertEventsSql('created_event', sql`${createdAt.toISOString()}::timestamptz`, [
          {
            type: 'link.created',
            workspaceId: sql`created.workspace_id`,
            paymentId: sql`null`,
            linkId: sql`created.id`,
            payload: sql`jsonb_build_object('link', ${linkSnapshotSql('created')})`,
            from: sql`created`,
          },
        ])}${
          remindDaysBefore === null
            ? sql``
            : sql`, ${scheduleReminderCtes('created', { daysBefore: remindDaysBefore, createdBy: caller.userId, now: createdAt })}`
        }
        select id::text from created`,
    );
    return row!.id;
  } catch (error) {
    // The contact, deal or method was deleted between the checks and the insert.
    if (isForeignKeyViolation(error, 'payment_links_contact_id_fk')) throw notFound('contactId', 'contact');
    if (isForeignKeyViolation(error, 'payment_links_deal_id_fk')) throw notFound('dealId', 'deal');
    if (isForeignKeyViolation(error, 'payment_links_method_id_fk'))
      throw notFound('methodId', 'payment method');
    throw error;
  }
}

/**
 * A custom link charges what was sent; a plugin type's link charges what its chosen option says
 * (an EDU course's price, currency and description), and amount, currency and description sent
 * with it are ignored. The option's id is kept as the link's type data for the plugin's hooks.
 */
async function whatItCharges(
  ctx: AppContext,
  workspaceId: string,
  input: CreatePaymentLinkInput,
): Promise<{ amount: Money; description: string; typeOption: Record<string, string> | null }> {
  if (input.type === 'custom') {
    if (input.amount === undefined) throw missing('amount', 'A custom link needs an amount.');
    if (input.currency === undefined) throw missing('currency', 'A custom link needs a currency.');
    if (input.description === undefined) throw missing('description', 'A custom link needs a description.');
    if (input.courseId !== undefined) {
      throw refused('not_allowed_for_type', 'courseId', 'Only an "edu" link takes a course.');
    }
    const amount = orRefuse(parseLinkAmount(input.amount, input.currency));
    return { amount, description: input.description, typeOption: null };
  }
  const type = paymentTypeOf(input.type);
  if (!type) throw refused('unknown_payment_type', 'type', `No payment type "${input.type}" is installed.`);
  const optionId = (input as Record<string, unknown>)[type.optionField];
  if (typeof optionId !== 'string') {
    throw missing(type.optionField, `A "${type.id}" link needs ${type.optionField}.`);
  }
  const resolved = await type.resolveOption(paymentTypeContext(ctx, type), workspaceId, optionId);
  if (!resolved.ok) {
    // Like every other id of another workspace: not found, never a hint that it exists.
    throw new ProblemError(resolved.error.code.endsWith('_not_found') ? 404 : 422, resolved.error);
  }
  return { ...resolved.value, typeOption: { [type.optionField]: optionId } };
}
