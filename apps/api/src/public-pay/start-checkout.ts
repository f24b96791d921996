import {
  type CheckoutResult,
  createMoney,
  type PaymentStatus,
  type ProviderError,
  paymentStatusLabel,
} from '@paylinks/core';
import { payments } from '@paylinks/db';
import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { normalisePhone } from '../contacts/phone-number.js';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';
import { validationProblem } from '../http/validation.js';
import { errorFields } from '../logger.js';
import { openMethodCredentials } from '../payment-methods/method-lookup.js';
import type { AnyPaymentProvider } from '../payment-methods/provider-registry.js';
import { applyPaymentEvent, applyPaymentEventInTransaction } from '../payments/apply-payment-event.js';
import { closeSupersededCheckouts } from '../payments/close-superseded-checkouts.js';
import type { CheckoutReference } from '../payments/payment-transition.js';
import { touchedAt } from '../sync/updated-at.js';
import {
  MAX_DECLINES_PER_PAYMENT,
  spendDeclinedAttempt,
  spendInvalidAttempt,
  takesAnotherAttempt,
  tooManyAttempts,
} from './checkout-budget.js';
import { insertClickThroughPayment } from './click-through-insert.js';
import { holdDealLinkForCheckout } from './deal-link-checkout-hold.js';
import { methodUnavailable } from './method-unavailable.js';
import { assertPayable, type PublicLink, readPublicLink } from './public-link.js';
import type { checkoutBody, checkoutResultSchema } from './public-pay-schemas.js';
import type { PublicPayment } from './public-payment.js';

type CheckoutAnswer = z.infer<typeof checkoutResultSchema>;

/** Who is checking out, for a payment recorded at checkout because their visit was beyond the cap. */
export interface CheckoutVisit {
  visitorKey: string;
  userAgent: string | null;
}

/**
 * The payer submits their details: start (or resume) the provider's checkout for this payment.
 * Without a payment id (the visit came beyond the click-through cap, click-through-cap.ts) the
 * payment is recorded here, once everything the payer sent has been checked.
 */
export async function startCheckout(
  ctx: AppContext,
  token: string,
  body: z.infer<typeof checkoutBody>,
  visit: () => CheckoutVisit,
): Promise<CheckoutAnswer> {
  const now = ctx.clock.now();
  // The link, its method and the payment named, in one round trip.
  const read = await readPublicLink(ctx.db, token, now, { paymentId: body.paymentId });
  const { link } = read;
  assertPayable(link);
  if (body.paymentId && !read.payment) throw notFound('paymentId', 'payment');
  const existing = read.payment;
  if (existing) assertTakesAnotherAttempt(existing);
  const phone = normalisePhone(body.phone, body.defaultCountry);
  if (!phone.ok) throw await invalidAttempt(ctx, link, now, new ProblemError(422, phone.error));

  // assertPayable refused a disabled method; a plugin no longer installed is refused the same way.
  const provider = ctx.providers.get(read.method.providerId);
  if (!provider) throw methodUnavailable();
  const loaded = { method: read.method, provider };
  let fields: unknown;
  try {
    fields = checkoutFields(provider, body.card);
  } catch (error) {
    throw await invalidAttempt(ctx, link, now, error);
  }
  const credentials = openMethodCredentials(ctx.secretKey, loaded);
  const payment = existing ?? (await insertClickThroughPayment(ctx.db, link, { now, ...visit() }));
  const amount = createMoney(payment.amountMinor, payment.currency);
  if (!amount.ok) throw new Error(`payment ${payment.id} holds an invalid amount`);

  const release = await holdDealLinkForCheckout(ctx, link, payment.id);
  try {
    const answer = await checkoutAtProvider(ctx, link, payment, provider, {
      paymentId: payment.id,
      idempotencyKey: payment.id,
      amount: amount.value,
      description: payment.description,
      payerEmail: body.email,
      payerPhone: phone.value,
      returnUrl: `${ctx.publicUrl}/pay/${link.token}/return?payment=${payment.id}`,
      webhookUrl: `${ctx.publicUrl}/api/webhooks/${link.methodId}`,
      credentials,
      fields,
      linkId: link.id,
      workspaceId: link.workspaceId,
      ...(link.expiresAt ? { linkExpiresAt: link.expiresAt } : {}),
    });
    if (answer.checkoutsToClose) {
      await closeSupersededCheckouts(ctx, { workspaceId: link.workspaceId, linkId: link.id });
    }
    return answer.answer;
  } finally {
    await release();
  }
}

/**
 * A payment in Processing takes a checkout; so does one Cancelled by a decline here, since the payer
 * tries another card in the same checkout (cancelled → complete), until it has used its attempts.
 */
function assertTakesAnotherAttempt(payment: PublicPayment): void {
  if (payment.declinedAttempts >= MAX_DECLINES_PER_PAYMENT) throw tooManyAttempts();
  if (!takesAnotherAttempt(payment)) throw notProcessing(payment.status);
}

/** Spends the link's budget on an attempt refused as invalid, and answers the refusal. */
async function invalidAttempt(ctx: AppContext, link: PublicLink, now: Date, refusal: unknown) {
  await spendInvalidAttempt(ctx, link, now);
  return refusal;
}

/**
 * Calls the provider (no transaction is open here) and stores what it answered; says whether the
 * success left other open checkouts of the link to close.
 */
async function checkoutAtProvider(
  ctx: AppContext,
  link: PublicLink,
  payment: PublicPayment,
  provider: AnyPaymentProvider,
  input: Parameters<AnyPaymentProvider['startCheckout']>[0],
): Promise<{ answer: CheckoutAnswer; checkoutsToClose: boolean }> {
  const now = ctx.clock.now();
  let result: CheckoutResult;
  try {
    result = await provider.startCheckout(input);
  } catch (error) {
    // Never log the input: it holds the card fields.
    ctx.logger.error('checkout start threw', {
      paymentId: payment.id,
      provider: provider.id,
      ...errorFields(error),
    });
    throw unavailable();
  }

  // What the payer typed, kept for the team with the checkout's first write (no statement of its own).
  const payer = { email: input.payerEmail, phone: input.payerPhone ?? null };
  switch (result.kind) {
    case 'redirect':
      await storeReference(
        ctx,
        link,
        payment.id,
        { providerReference: result.providerReference, payer },
        now,
      );
      return {
        answer: { kind: 'redirect', redirectUrl: result.redirectUrl, paymentId: payment.id },
        checkoutsToClose: false,
      };
    case 'immediate': {
      const applied = await applyImmediateResult(
        ctx,
        link,
        payment.id,
        { providerReference: result.providerReference, payer },
        now,
        { status: result.status, actor: provider.id },
      );
      const { status } = applied;
      return {
        answer: { kind: 'result', status, statusLabel: paymentStatusLabel(status), paymentId: payment.id },
        checkoutsToClose: applied.checkoutsToClose,
      };
    }
    case 'failed':
      throw await failed(ctx, link, payment, provider.id, result.error, now);
    default: {
      const unhandled: never = result;
      throw new Error(`Unhandled checkout result ${JSON.stringify(unhandled)}`);
    }
  }
}

const notProcessing = (status: string) =>
  new ProblemError(409, {
    code: 'payment_not_processing',
    field: 'paymentId',
    message: `This payment is already ${status}; open the link again to pay.`,
  });

const unavailable = () =>
  new ProblemError(503, {
    code: 'provider_unavailable',
    message: 'The payment provider is not answering. Try again in a moment.',
  });

/** The provider's own fields, checked by its schema; a refusal names the field as `card.<name>`. */
function checkoutFields(provider: AnyPaymentProvider, card: Record<string, string> | undefined): unknown {
  const schema = provider.checkoutFieldsSchema;
  if (!schema) return undefined;
  const parsed = schema.safeParse(card);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({ ...issue, path: ['card', ...issue.path] }));
  throw validationProblem(issues, { card });
}

/**
 * Keeps the provider's reference of a checkout the payer finishes on the provider's page, and the
 * payer's details (a resumed checkout keeps its reference and takes the details typed this time).
 * One statement that changes no status: it takes only the payment's own row lock, for the statement.
 */
async function storeReference(
  ctx: AppContext,
  link: PublicLink,
  paymentId: string,
  reference: Required<Pick<CheckoutReference, 'providerReference' | 'payer'>>,
  now: Date,
) {
  await ctx.db
    .update(payments)
    .set({
      providerReference: sql`coalesce(${payments.providerReference}, ${reference.providerReference})`,
      idempotencyKey: sql`coalesce(${payments.idempotencyKey}, ${paymentId})`,
      payerEmail: reference.payer.email,
      payerPhone: reference.payer.phone,
      updatedAt: touchedAt(payments.updatedAt, now),
    })
    .where(and(eq(payments.workspaceId, link.workspaceId), eq(payments.id, paymentId)));
}

/** An immediate answer: its status applied with the reference kept in the same change. */
async function applyImmediateResult(
  ctx: AppContext,
  link: PublicLink,
  paymentId: string,
  reference: Required<Pick<CheckoutReference, 'providerReference' | 'payer'>>,
  now: Date,
  event: { status: PaymentStatus; actor: string },
): Promise<{ status: PaymentStatus; checkoutsToClose: boolean }> {
  const applied = await applyPaymentEvent(
    ctx.db,
    {
      workspaceId: link.workspaceId,
      paymentId,
      status: event.status,
      source: 'checkout',
      actor: event.actor,
      payload: { providerReference: reference.providerReference },
      now,
      checkoutReference: { ...reference, idempotencyKey: paymentId },
    },
    ctx.logger,
  );
  if (applied.kind === 'not_found') throw new Error(`payment ${paymentId} vanished during checkout`);
  if (applied.kind !== 'applied') return { status: applied.status, checkoutsToClose: false };
  const closes = applied.effects.checkoutsToClose || applied.settled.some((t) => t.effects.checkoutsToClose);
  return { status: applied.status, checkoutsToClose: closes };
}

async function failed(
  ctx: AppContext,
  link: PublicLink,
  payment: PublicPayment,
  providerId: string,
  error: ProviderError,
  now: Date,
): Promise<ProblemError> {
  switch (error.kind) {
    case 'declined':
      // One transaction: the Cancelled status, the payment's spent attempt and the link's budget.
      await ctx.db.transaction(async (tx) => {
        const applied = await applyPaymentEventInTransaction(
          tx,
          {
            workspaceId: link.workspaceId,
            paymentId: payment.id,
            status: 'cancelled',
            source: 'checkout',
            actor: providerId,
            payload: { declined: error.code ?? 'declined' },
            now,
          },
          ctx.logger,
        );
        if (applied.kind === 'not_found') throw new Error(`payment ${payment.id} vanished during checkout`);
        await spendDeclinedAttempt(ctx, tx, link, payment.id, now);
      });
      return new ProblemError(402, { code: error.code ?? 'payment_declined', message: error.message });
    case 'invalid':
      await spendInvalidAttempt(ctx, link, now);
      return new ProblemError(422, {
        code: error.code ?? 'checkout_refused',
        ...(error.code?.includes('card') ? { field: 'card' } : {}),
        message: error.message,
      });
    case 'retryable':
      return unavailable();
    case 'config':
      // The team must fix the method; the payer only learns that paying is not possible right now.
      ctx.logger.error('payment method misconfigured', {
        paymentId: payment.id,
        provider: providerId,
        code: error.code,
      });
      return methodUnavailable();
    default: {
      const unhandled: never = error.kind;
      throw new Error(`Unhandled provider error kind ${String(unhandled)}`);
    }
  }
}
