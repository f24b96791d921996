import { expect } from 'vitest';
import { type CurrencyCode, currencyExponent, supportedCurrencies } from '../currency.js';
import type { Money } from '../money.js';
import type { CheckoutResult, StartCheckoutInput, WebhookResult } from '../payment-provider.js';
import type {
  ConformanceWebhook,
  ProviderConformanceContext,
  ProviderConformanceHarness,
} from './provider-conformance-harness.js';

// What the conformance checks share: unique keys, a checkout to start, a webhook to parse.

export type AnyContext = ProviderConformanceContext<unknown, unknown, string>;
export type AnyHarness = ProviderConformanceHarness<unknown, unknown, string>;

let keyCounter = 0;

export function uniqueKey(label: string): string {
  // Unique across runs too, in case a harness reuses one simulator for many test files.
  keyCounter += 1;
  return `conformance-${label}-${Date.now().toString(36)}-${keyCounter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** JPY, EUR and KWD stand for exponents 0, 2 and 3; another currency of that exponent will do. */
const preferredByExponent: Readonly<Record<number, CurrencyCode>> = { 0: 'JPY', 2: 'EUR', 3: 'KWD' };

export function currencyForExponent(
  currencies: readonly CurrencyCode[] | 'all',
  exponent: number,
): CurrencyCode | undefined {
  const preferred = preferredByExponent[exponent];
  if (currencies === 'all') return preferred;
  if (preferred !== undefined && currencies.includes(preferred)) return preferred;
  return currencies.find(
    (code) => supportedCurrencies().includes(code) && currencyExponent(code) === exponent,
  );
}

export function defaultCurrency(ctx: AnyContext): CurrencyCode {
  const { currencies } = ctx.provider;
  if (currencies === 'all' || currencies.includes('EUR')) return 'EUR';
  const first = currencies[0];
  if (first === undefined) throw new Error('The provider declares no currencies');
  return first;
}

export function checkoutInput(
  ctx: AnyContext,
  idempotencyKey: string,
  amount: Money,
): StartCheckoutInput<unknown, unknown> {
  return {
    paymentId: `pay_${idempotencyKey}`,
    idempotencyKey,
    amount,
    description: 'Conformance check',
    payerEmail: 'payer@example.test',
    returnUrl: 'https://paylinks.example/pay/return',
    webhookUrl: 'https://paylinks.example/api/webhooks/conformance',
    credentials: ctx.credentials,
    ...(ctx.checkoutFields === undefined ? {} : { fields: ctx.checkoutFields }),
  };
}

export async function start(ctx: AnyContext, idempotencyKey: string, amount?: Money): Promise<string> {
  const money = amount ?? { minor: 1050n, currency: defaultCurrency(ctx) };
  const result: CheckoutResult = await ctx.provider.startCheckout(checkoutInput(ctx, idempotencyKey, money));
  if (result.kind === 'failed') {
    throw new Error(`startCheckout failed (${result.error.kind}): ${result.error.message}`);
  }
  expect(result.providerReference, 'providerReference').toEqual(expect.any(String));
  expect(result.providerReference.length).toBeGreaterThan(0);
  return result.providerReference;
}

export function anyStatus(harness: AnyHarness): string {
  const first = Object.keys(harness.statusTable)[0];
  if (first === undefined) throw new Error('The harness lists no provider statuses');
  return first;
}

export async function parse(
  ctx: AnyContext,
  webhook: ConformanceWebhook,
  now = ctx.now,
): Promise<WebhookResult> {
  return ctx.provider.parseWebhook({ ...webhook, credentials: ctx.credentials, now });
}

export function expectEvents(result: WebhookResult, what: string) {
  if (result.kind !== 'events') {
    const detail = result.kind === 'rejected' ? result.error.message : result.reason;
    throw new Error(`${what} must produce events, got ${result.kind}: ${detail}`);
  }
  expect(result.events.length, `${what} carries at least one event`).toBeGreaterThan(0);
  return result.events;
}
