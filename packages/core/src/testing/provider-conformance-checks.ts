import { expect } from 'vitest';
import type { CurrencyCode } from '../currency.js';
import type { Money } from '../money.js';
import { paymentStatuses } from '../payment-status.js';
import {
  type AnyContext,
  type AnyHarness,
  anyStatus,
  checkoutInput,
  defaultCurrency,
  expectEvents,
  parse,
  start,
  uniqueKey,
} from './conformance-support.js';

// Each check is a plain function that throws on failure, so the suite can be tested against
// deliberately broken providers without nesting failing vitest tests. The webhook checks live in
// provider-webhook-checks.ts; both are reached through this module.

export { currencyForExponent } from './conformance-support.js';
export * from './provider-refund-checks.js';
export * from './provider-webhook-checks.js';

// Values no credentials schema should take, whatever the provider.
const obviouslyWrongCredentials: readonly unknown[] = [null, undefined, 42, 'sk_live_123', [], true];

export async function checkoutIsIdempotentPerKey(ctx: AnyContext): Promise<void> {
  const key = uniqueKey('idem');
  const first = await start(ctx, key);
  const repeated = await start(ctx, key);
  const other = await start(ctx, uniqueKey('idem-other'));
  expect(repeated, 'the same idempotency key gives the same provider reference').toBe(first);
  expect(other, 'a different idempotency key gives a different provider reference').not.toBe(first);
}

export async function statusMapsAsDocumented(
  harness: AnyHarness,
  ctx: AnyContext,
  status: string,
): Promise<void> {
  const expected = harness.statusTable[status];
  expect(paymentStatuses, `the table maps ${status} to a core status`).toContain(expected);
  expect(harness.mapStatus(status), `mapStatus(${status})`).toBe(expected);
  const reference = await start(ctx, uniqueKey(`status-${status}`));
  const webhook = await ctx.signWebhook({ providerReference: reference, status, signedAt: ctx.now });
  const events = expectEvents(await parse(ctx, webhook), `a webhook reporting ${status}`);
  expect(events.map((event) => event.status)).toEqual(events.map(() => expected));
}

// Amounts that expose a decimal point in the wrong place (x10, x100, x1000) or lost precision.
const roundTripAmounts = [1n, 5n, 1050n, 999_999n, 123_456_789n] as const;

export async function amountsRoundTrip(
  harness: AnyHarness,
  ctx: AnyContext,
  currency: CurrencyCode,
): Promise<void> {
  // A provider that charges in steps (Stripe's three-decimal currencies) gets the same amounts on its step.
  const step = ctx.provider.amountStep?.(currency) ?? 1n;
  expect(step > 0n, `amountStep(${currency}) is positive`).toBe(true);
  if (step > 1n) {
    const off = await ctx.provider.startCheckout(
      checkoutInput(ctx, uniqueKey(`off-step-${currency}`), { minor: step + 1n, currency }),
    );
    expect(off.kind === 'failed' && off.error.kind, `an amount off the ${step}-unit step`).toBe('invalid');
  }
  for (const base of roundTripAmounts) {
    const minor = base * step;
    const asked: Money = { minor, currency };
    const reference = await start(ctx, uniqueKey(`amount-${currency}-${minor}`), asked);
    if (ctx.provider.fetchStatus) {
      const fetched = await ctx.provider.fetchStatus({
        providerReference: reference,
        credentials: ctx.credentials,
      });
      if (!fetched.ok)
        throw new Error(`fetchStatus failed (${fetched.error.kind}): ${fetched.error.message}`);
      expect(fetched.value.amount, `fetchStatus amount for ${minor} ${currency} minor units`).toEqual(asked);
    }
    const webhook = await ctx.signWebhook({
      providerReference: reference,
      status: anyStatus(harness),
      signedAt: ctx.now,
    });
    for (const event of expectEvents(await parse(ctx, webhook), 'an authentic webhook')) {
      expect(event.amount, `webhook amount for ${minor} ${currency} minor units`).toEqual(asked);
    }
  }
}

export function capabilitiesMatchFunctions(ctx: AnyContext): void {
  const { provider } = ctx;
  expect(typeof provider.refund === 'function', 'capabilities.refunds ⇔ refund()').toBe(
    provider.capabilities.refunds,
  );
  if (provider.capabilities.partialRefunds) {
    expect(provider.capabilities.refunds, 'capabilities.partialRefunds ⇒ capabilities.refunds').toBe(true);
  }
  expect(typeof provider.fetchStatus === 'function', 'capabilities.statusFetch ⇔ fetchStatus()').toBe(
    provider.capabilities.statusFetch,
  );
  expect(
    typeof provider.cancelCheckout === 'function',
    'capabilities.cancelCheckout ⇔ cancelCheckout()',
  ).toBe(provider.capabilities.cancelCheckout);
}

/**
 * Closing a checkout (another payment of the deal link succeeded): an open one is cancelled and stays
 * so when asked again; a paid one answers already_paid, so the app knows a success is on its way.
 */
export async function cancelCheckoutCloses(ctx: AnyContext): Promise<void> {
  const { provider, credentials } = ctx;
  if (!provider.cancelCheckout) throw new Error('The provider has no cancelCheckout');
  const key = uniqueKey('cancel');
  const money = { minor: 1050n, currency: defaultCurrency(ctx) };
  const started = await provider.startCheckout(checkoutInput(ctx, key, money));
  if (started.kind === 'failed') throw new Error(`startCheckout failed: ${started.error.message}`);
  const paid =
    started.kind === 'immediate' && (started.status === 'complete' || started.status === 'returned');
  const expected = paid ? 'already_paid' : 'cancelled';
  const { providerReference } = started;
  const first = await provider.cancelCheckout({ providerReference, credentials });
  expect(first.kind, 'cancelCheckout of a fresh checkout').toBe(expected);
  const again = await provider.cancelCheckout({ providerReference, credentials });
  expect(again.kind, 'cancelCheckout asked again answers the same').toBe(expected);
  if (!paid && provider.fetchStatus) {
    const fetched = await provider.fetchStatus({ providerReference, credentials });
    expect(fetched.ok && fetched.value.status, 'fetchStatus after cancelCheckout').toBe('cancelled');
  }
  const unknown = await provider.cancelCheckout({
    providerReference: uniqueKey('never-created'),
    credentials,
  });
  expect(unknown.kind, 'cancelCheckout of a reference the provider never issued').toBe('failed');
}

export async function unknownReferencesFail(ctx: AnyContext): Promise<void> {
  const providerReference = uniqueKey('never-created');
  if (ctx.provider.fetchStatus) {
    const fetched = await ctx.provider.fetchStatus({ providerReference, credentials: ctx.credentials });
    expect(fetched.ok, 'fetchStatus of a reference the provider never issued').toBe(false);
  }
  if (ctx.provider.refund) {
    const refund = await ctx.provider.refund({
      providerReference,
      amount: { minor: 1050n, currency: defaultCurrency(ctx) },
      idempotencyKey: uniqueKey('refund'),
      credentials: ctx.credentials,
    });
    expect(refund.kind, 'refund of a reference the provider never issued').toBe('failed');
  }
}

export async function credentialsAreValidated(harness: AnyHarness, ctx: AnyContext): Promise<void> {
  const schema = ctx.provider.credentialsSchema;
  expect(schema.safeParse(ctx.credentials).success, 'the harness credentials pass the schema').toBe(true);
  for (const wrong of [...obviouslyWrongCredentials, ...harness.invalidCredentials]) {
    const parsed = schema.safeParse(wrong);
    expect(parsed.success, `credentials ${JSON.stringify(wrong)} must be refused`).toBe(false);
    // A zod error, so the settings form can point at the field at fault.
    expect(parsed.error?.issues.length ?? 0).toBeGreaterThan(0);
  }
  const verified = await ctx.provider.verifyCredentials(ctx.credentials);
  expect(verified.ok, 'verifyCredentials accepts the harness credentials').toBe(true);
  if (ctx.provider.modeOf) {
    expect(['test', 'live'], 'modeOf tells test from live credentials').toContain(
      ctx.provider.modeOf(ctx.credentials),
    );
  }
}
