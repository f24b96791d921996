import { expect } from 'vitest';
import type { CurrencyCode } from '../currency.js';
import type { Money } from '../money.js';
import type { RefundResult } from '../payment-provider.js';
import { type AnyContext, checkoutInput, uniqueKey } from './conformance-support.js';

/** A checkout the payer has paid: the immediate success of startCheckout, or the harness's payCheckout. */
async function paidCheckout(ctx: AnyContext, amount: Money): Promise<string> {
  const key = uniqueKey(`refund-${amount.currency}`);
  const started = await ctx.provider.startCheckout(checkoutInput(ctx, key, amount));
  if (started.kind === 'failed') throw new Error(`startCheckout failed: ${started.error.message}`);
  if (started.kind === 'immediate' && started.status === 'complete') return started.providerReference;
  if (!ctx.payCheckout) throw new Error('A provider with refunds needs payCheckout in its harness');
  await ctx.payCheckout(started.providerReference);
  return started.providerReference;
}

function refunded(result: RefundResult, what: string): string {
  if (result.kind === 'failed') {
    throw new Error(`${what} failed (${result.error.kind} ${result.error.code}): ${result.error.message}`);
  }
  return result.providerRefundReference;
}

/**
 * Partial refunds: 30 %, then 20 %, then the rest, each exactly once (asked again with its key, the
 * provider answers the same refund), a refund beyond what is left refused, the payment complete at the
 * provider until the last part and returned after it, and the provider holding the amounts asked.
 */
export async function refundsInParts(ctx: AnyContext, currency: CurrencyCode): Promise<void> {
  const { provider, credentials } = ctx;
  if (!provider.refund) throw new Error('partialRefunds without refund()');
  const step = provider.amountStep?.(currency) ?? 1n;
  const total = 1000n * step;
  const parts = [300n * step, 200n * step, 500n * step];
  const providerReference = await paidCheckout(ctx, { minor: total, currency });
  const paymentId = `pay_${uniqueKey('refunded')}`;
  const keys = parts.map(() => uniqueKey('refund-part'));
  const refund = (minor: bigint, idempotencyKey: string) =>
    provider.refund!({
      providerReference,
      amount: { minor, currency },
      idempotencyKey,
      credentials,
      paymentId,
    });
  const status = async () => {
    if (!provider.fetchStatus) return undefined;
    const fetched = await provider.fetchStatus({ providerReference, credentials });
    if (!fetched.ok) throw new Error(`fetchStatus failed: ${fetched.error.message}`);
    return fetched.value.status;
  };
  const hasStatus = provider.fetchStatus !== undefined;

  const first = refunded(await refund(parts[0]!, keys[0]!), 'the first part');
  expect(
    refunded(await refund(parts[0]!, keys[0]!), 'the first part asked again'),
    'same key, same refund',
  ).toBe(first);
  if (hasStatus) expect(await status(), 'after a partial refund').toBe('complete');
  const second = refunded(await refund(parts[1]!, keys[1]!), 'the second part');
  expect(second, 'another key, another refund').not.toBe(first);
  const over = await refund(parts[2]! + step, uniqueKey('refund-over'));
  expect(over.kind, 'a refund beyond what is left').toBe('failed');
  if (hasStatus) expect(await status(), 'after two partial refunds').toBe('complete');
  refunded(await refund(parts[2]!, keys[2]!), 'the rest');
  if (hasStatus) expect(await status(), 'after the whole amount is refunded').toBe('returned');
  if (ctx.refundsAt) {
    expect(await ctx.refundsAt(providerReference), 'the refunds the provider holds').toEqual(
      parts.map((minor) => ({ minor, currency })),
    );
  }
}
