import { createMoney, type PaymentStatus, paymentStatusLabel } from '@paylinks/core';
import type { z } from 'zod';
import type { AppContext } from '../app-context.js';
import { presentMoney } from '../http/money-schema.js';
import { notFound } from '../http/not-found.js';
import { errorFields } from '../logger.js';
import { loadEnabledMethod, openMethodCredentials } from '../payment-methods/method-lookup.js';
import { applyPaymentEvent } from '../payments/apply-payment-event.js';
import { claimStatusFetch } from '../payments/status-fetch-claim.js';
import { type PublicLink, readPublicLink } from './public-link.js';
import type { publicPaymentStatusSchema } from './public-pay-schemas.js';
import type { PublicPayment } from './public-payment.js';

/**
 * What the return page shows. The URL the provider sent the payer back with proves nothing, so the
 * status is ours; a payment still Processing is asked about, through the same apply path, at most
 * once per payment in statusFetchIntervalMs however often the page polls. The provider is called
 * with no transaction open, so a slow provider holds up only this request.
 * Answers for expired or paid links too: the payer who just paid must see the result.
 */
export async function paymentReturn(
  ctx: AppContext,
  token: string,
  paymentId: string,
): Promise<z.infer<typeof publicPaymentStatusSchema>> {
  const now = ctx.clock.now();
  const { link, payment } = await readPublicLink(ctx.db, token, now, { paymentId });
  // Any other id (another link's, another workspace's) is 404.
  if (!payment) throw notFound('paymentId', 'payment');
  const status = payment.status === 'processing' ? await refresh(ctx, link, payment) : payment.status;
  const amount = createMoney(payment.amountMinor, payment.currency);
  if (!amount.ok) throw new Error(`payment ${payment.id} holds an invalid amount`);
  return {
    paymentId: payment.id,
    status,
    statusLabel: paymentStatusLabel(status),
    description: payment.description,
    amount: presentMoney(amount.value),
  };
}

async function refresh(ctx: AppContext, link: PublicLink, payment: PublicPayment): Promise<PaymentStatus> {
  const reference = payment.providerReference;
  if (reference === null) return payment.status;
  try {
    const loaded = await loadEnabledMethod(ctx, link.workspaceId, link.methodId);
    const { provider } = loaded;
    if (!provider.fetchStatus) return payment.status;
    // Another poll (here or on another instance) asked moments ago; its answer is already applied.
    if (!(await claimStatusFetch(ctx.db, payment, ctx.clock.now()))) return payment.status;
    const fetched = await provider.fetchStatus({
      providerReference: reference,
      credentials: openMethodCredentials(ctx.secretKey, loaded),
    });
    if (!fetched.ok) return payment.status;
    const { value } = fetched;
    const sameAmount =
      value.amount === undefined ||
      (value.amount.minor === payment.amountMinor && value.amount.currency === payment.currency);
    if (value.providerReference !== reference || !sameAmount) {
      ctx.logger.error('status fetch does not match the payment', {
        paymentId: payment.id,
        provider: provider.id,
      });
      return payment.status;
    }
    const applied = await applyPaymentEvent(
      ctx.db,
      {
        workspaceId: link.workspaceId,
        paymentId: payment.id,
        status: value.status,
        source: 'redirect',
        actor: provider.id,
        payload: { providerReference: reference },
        now: ctx.clock.now(),
      },
      ctx.logger,
    );
    return applied.kind === 'not_found' ? payment.status : applied.status;
  } catch (error) {
    // The page still shows what we know; webhooks and reconciliation catch up.
    // errorFields, not String(error): a failed query's text carries its parameters.
    ctx.logger.info('status fetch on return failed', { paymentId: payment.id, ...errorFields(error) });
    return payment.status;
  }
}
