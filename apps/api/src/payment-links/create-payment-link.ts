import {
  chargesExactly,
  type DomainError,
  expiresAt,
  generateLinkToken,
  type Money,
  parseLinkAmount,
  parseValidityDays,
  type Result,
  supportsCurrency,
} from '@paylinks/core';
import { contacts, deals, isForeignKeyViolation, paymentLinks, paymentMethods } from '@paylinks/db';
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import type { Caller } from '../auth/caller.js';
import { domainProblem } from '../http/domain-problem.js';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';
import { paymentTypeOf } from '../payment-types/installed-payment-types.js';
import { paymentTypeContext } from '../payment-types/payment-type-context.js';
import type { CreatePaymentLinkInput } from './payment-link-schemas.js';

function orRefuse<T>(result: Result<T, DomainError>): T {
  if (!result.ok) throw domainProblem(result.error);
  return result.value;
}

function refused(code: string, field: string, message: string): ProblemError {
  return new ProblemError(422, { code, field, message });
}

// Mirrors the automatic zod answer, so a client reads a missing id the same way as any missing field.
function missing(field: string, message: string): ProblemError {
  return new ProblemError(422, { code: 'validation_failed', field, message }, [
    { code: 'required', field, message },
  ]);
}

/** The contact (and deal) the link is for, only from the caller's workspace. */
async function resolveTarget(ctx: AppContext, workspaceId: string, input: CreatePaymentLinkInput) {
  let contactId: string;
  let dealId: string | null = null;
  if (input.origin === 'contact') {
    if (input.contactId === undefined) throw missing('contactId', 'A contact link needs contactId.');
    if (input.dealId !== undefined) {
      throw refused('not_allowed_for_origin', 'dealId', 'A contact link has no deal; use origin "deal".');
    }
    contactId = input.contactId;
  } else {
    if (input.dealId === undefined) throw missing('dealId', 'A deal link needs dealId.');
    if (input.contactId !== undefined) {
      throw refused('not_allowed_for_origin', 'contactId', "A deal link is for the deal's contact.");
    }
    const [deal] = await ctx.db
      .select({ contactId: deals.contactId })
      .from(deals)
      .where(and(eq(deals.workspaceId, workspaceId), eq(deals.id, input.dealId)))
      .limit(1);
    if (!deal) throw notFound('dealId', 'deal');
    contactId = deal.contactId;
    dealId = input.dealId;
  }
  const [contact] = await ctx.db
    .select({ name: contacts.name, email: contacts.email })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId)))
    .limit(1);
  if (!contact) throw notFound('contactId', 'contact');
  return { contactId, dealId, contact };
}

async function resolveMethod(ctx: AppContext, workspaceId: string, methodId: string, amount: Money) {
  const { currency } = amount;
  const [method] = await ctx.db
    .select({ providerId: paymentMethods.providerId, enabled: paymentMethods.enabled })
    .from(paymentMethods)
    .where(and(eq(paymentMethods.workspaceId, workspaceId), eq(paymentMethods.id, methodId)))
    .limit(1);
  if (!method) throw notFound('methodId', 'payment method');
  if (!method.enabled) {
    throw refused('method_disabled', 'methodId', 'This payment method is disabled; enable it first.');
  }
  const provider = ctx.providers.get(method.providerId);
  if (!provider) {
    throw refused(
      'method_unavailable',
      'methodId',
      'The plugin behind this payment method is not installed.',
    );
  }
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

/** Checks everything, then one insert. Returns the new link's id. */
export async function createPaymentLink(
  ctx: AppContext,
  caller: Caller,
  input: CreatePaymentLinkInput,
): Promise<string> {
  const { workspaceId } = caller;
  const { amount, description, typeOption } = await whatItCharges(ctx, workspaceId, input);
  const validityDays = orRefuse(parseValidityDays(input.validityDays));
  const target = await resolveTarget(ctx, workspaceId, input);
  await resolveMethod(ctx, workspaceId, input.methodId, amount);

  const createdAt = ctx.clock.now();
  try {
    const [row] = await ctx.db
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
        createdAt,
      })
      .returning({ id: paymentLinks.id });
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
