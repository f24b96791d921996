import { expect } from 'vitest';
import { type CurrencyCode, currencyExponent, supportedCurrencies } from '../currency.js';
import type { Money } from '../money.js';
import type { CheckoutResult, StartCheckoutInput, WebhookResult } from '../payment-provider.js';
import { paymentStatuses } from '../payment-status.js';
import type {
  ConformanceWebhook,
  ProviderConformanceContext,
  ProviderConformanceHarness,
} from './provider-conformance-harness.js';

// Each check is a plain function that throws on failure, so the suite can be tested against
// deliberately broken providers without nesting failing vitest tests.

type AnyContext = ProviderConformanceContext<unknown, unknown, string>;
type AnyHarness = ProviderConformanceHarness<unknown, unknown, string>;

const ONE_SECOND = 1000;

// Values no credentials schema should take, whatever the provider.
const obviouslyWrongCredentials: readonly unknown[] = [null, undefined, 42, 'sk_live_123', [], true];

let keyCounter = 0;

function uniqueKey(label: string): string {
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

function defaultCurrency(ctx: AnyContext): CurrencyCode {
  const { currencies } = ctx.provider;
  if (currencies === 'all' || currencies.includes('EUR')) return 'EUR';
  const first = currencies[0];
  if (first === undefined) throw new Error('The provider declares no currencies');
  return first;
}

function checkoutInput(
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

async function start(ctx: AnyContext, idempotencyKey: string, amount?: Money): Promise<string> {
  const money = amount ?? { minor: 1050n, currency: defaultCurrency(ctx) };
  const result: CheckoutResult = await ctx.provider.startCheckout(checkoutInput(ctx, idempotencyKey, money));
  if (result.kind === 'failed') {
    throw new Error(`startCheckout failed (${result.error.kind}): ${result.error.message}`);
  }
  expect(result.providerReference, 'providerReference').toEqual(expect.any(String));
  expect(result.providerReference.length).toBeGreaterThan(0);
  return result.providerReference;
}

function anyStatus(harness: AnyHarness): string {
  const first = Object.keys(harness.statusTable)[0];
  if (first === undefined) throw new Error('The harness lists no provider statuses');
  return first;
}

function shifted(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms);
}

async function parse(ctx: AnyContext, webhook: ConformanceWebhook, now = ctx.now): Promise<WebhookResult> {
  return ctx.provider.parseWebhook({ ...webhook, credentials: ctx.credentials, now });
}

function expectRejected(result: WebhookResult, what: string): void {
  expect(result.kind, `${what} must be rejected`).toBe('rejected');
}

function expectEvents(result: WebhookResult, what: string) {
  if (result.kind !== 'events') {
    const detail = result.kind === 'rejected' ? result.error.message : result.reason;
    throw new Error(`${what} must produce events, got ${result.kind}: ${detail}`);
  }
  expect(result.events.length, `${what} carries at least one event`).toBeGreaterThan(0);
  return result.events;
}

export async function checkoutIsIdempotentPerKey(ctx: AnyContext): Promise<void> {
  const key = uniqueKey('idem');
  const first = await start(ctx, key);
  const repeated = await start(ctx, key);
  const other = await start(ctx, uniqueKey('idem-other'));
  expect(repeated, 'the same idempotency key gives the same provider reference').toBe(first);
  expect(other, 'a different idempotency key gives a different provider reference').not.toBe(first);
}

/** The positive control: without it, a provider that rejects everything would pass the rest. */
export async function acceptsAuthenticWebhooks(harness: AnyHarness, ctx: AnyContext): Promise<void> {
  const reference = await start(ctx, uniqueKey('authentic'));
  const status = anyStatus(harness);
  const atNow = await ctx.signWebhook({ providerReference: reference, status, signedAt: ctx.now });
  const events = expectEvents(await parse(ctx, atNow), 'a webhook signed now');
  for (const event of events) {
    expect(event.providerReference).toBe(reference);
    expect(event.providerEventId, 'providerEventId').toEqual(expect.any(String));
    expect(event.providerEventId.length).toBeGreaterThan(0);
  }
  const margin = Math.min(ONE_SECOND, harness.webhookToleranceMs / 2);
  for (const offset of [-(harness.webhookToleranceMs - margin), harness.webhookToleranceMs - margin]) {
    const edge = await ctx.signWebhook({
      providerReference: reference,
      status,
      signedAt: shifted(ctx.now, offset),
    });
    expectEvents(await parse(ctx, edge), `a webhook signed ${offset} ms from now (inside the tolerance)`);
  }
}

export async function rejectsTamperedWebhooks(harness: AnyHarness, ctx: AnyContext): Promise<void> {
  const status = anyStatus(harness);
  const a = await ctx.signWebhook({
    providerReference: await start(ctx, uniqueKey('tamper-a')),
    status,
    signedAt: ctx.now,
  });
  const b = await ctx.signWebhook({
    providerReference: await start(ctx, uniqueKey('tamper-b')),
    status,
    signedAt: ctx.now,
  });
  const tampered = ctx.tamper(a);
  expect(tampered.rawBody, 'the harness tamper() must change the body').not.toBe(a.rawBody);
  expectRejected(await parse(ctx, tampered), 'a tampered body');
  // A genuine signature over another genuine body: catches verifiers that check the header's form only.
  expect(b.rawBody).not.toBe(a.rawBody);
  expectRejected(
    await parse(ctx, { rawBody: b.rawBody, headers: a.headers }),
    'a body with another body’s signature',
  );
}

export async function rejectsStaleWebhooks(harness: AnyHarness, ctx: AnyContext): Promise<void> {
  const reference = await start(ctx, uniqueKey('stale'));
  const status = anyStatus(harness);
  const outside = harness.webhookToleranceMs + ONE_SECOND;
  const old = await ctx.signWebhook({
    providerReference: reference,
    status,
    signedAt: shifted(ctx.now, -outside),
  });
  expectRejected(await parse(ctx, old), 'a webhook signed before the tolerance window');
  const future = await ctx.signWebhook({
    providerReference: reference,
    status,
    signedAt: shifted(ctx.now, outside),
  });
  expectRejected(await parse(ctx, future), 'a webhook signed after the tolerance window');
  // The same old webhook replayed within its window is fine, so the rejection above was about time.
  expectEvents(await parse(ctx, old, shifted(ctx.now, -outside)), 'the old webhook at its own time');
}

export async function rejectsUnsignedWebhooks(harness: AnyHarness, ctx: AnyContext): Promise<void> {
  const reference = await start(ctx, uniqueKey('unsigned'));
  const signed = await ctx.signWebhook({
    providerReference: reference,
    status: anyStatus(harness),
    signedAt: ctx.now,
  });
  const unsigned = ctx.unsign(signed);
  expect(unsigned.rawBody, 'the harness unsign() must keep the body').toBe(signed.rawBody);
  expectRejected(await parse(ctx, unsigned), 'a webhook without its signature');
  expectRejected(await parse(ctx, { rawBody: signed.rawBody, headers: {} }), 'a webhook without any headers');
}

function expectNoEvents(result: WebhookResult, what: string): void {
  expect(['ignored', 'rejected'], `${what} must change nothing`).toContain(result.kind);
}

/** Re-fetching providers: a body naming a payment the provider never created yields no event. */
export async function ignoresForgedWebhooks(harness: AnyHarness, ctx: AnyContext): Promise<void> {
  const genuine = await ctx.signWebhook({
    providerReference: await start(ctx, uniqueKey('forged')),
    status: anyStatus(harness),
    signedAt: ctx.now,
  });
  expectEvents(await parse(ctx, genuine), 'the genuine webhook');
  const forged = ctx.tamper(genuine);
  expect(forged.rawBody, 'the harness tamper() must change the body').not.toBe(genuine.rawBody);
  expectNoEvents(await parse(ctx, forged), 'a webhook naming a payment the provider never created');
}

/**
 * Re-fetching providers: what counts is the state at the provider when the webhook is read. An
 * early webhook delivered late reports the later state, so a plugin that trusts anything in the
 * body, or caches, is caught.
 */
export async function reportsRefetchedState(harness: AnyHarness, ctx: AnyContext): Promise<void> {
  const statuses = Object.keys(harness.statusTable);
  const first = statuses[0];
  const later = statuses.find(
    (s) => first !== undefined && harness.statusTable[s] !== harness.statusTable[first],
  );
  if (first === undefined || later === undefined)
    throw new Error('The harness needs two statuses that map apart');
  const reference = await start(ctx, uniqueKey('refetch'));
  const early = await ctx.signWebhook({ providerReference: reference, status: first, signedAt: ctx.now });
  const firstEvents = expectEvents(await parse(ctx, early), 'a webhook for the first state');
  expect(firstEvents.map((e) => e.status)).toEqual(firstEvents.map(() => harness.statusTable[first]));
  await ctx.signWebhook({ providerReference: reference, status: later, signedAt: ctx.now });
  const replayed = expectEvents(await parse(ctx, early), 'the early webhook delivered again');
  expect(
    replayed.map((e) => e.status),
    'the state fetched now',
  ).toEqual(replayed.map(() => harness.statusTable[later]));
  for (const event of replayed) {
    expect(
      firstEvents.map((e) => e.providerEventId),
      'a new state is a new event id',
    ).not.toContain(event.providerEventId);
  }
}

/** Re-fetching providers: an empty or meaningless body names nothing to fetch and changes nothing. */
export async function refusesUnreadableWebhooks(ctx: AnyContext): Promise<void> {
  for (const rawBody of ['', 'hello', '{"id":42}', 'id=']) {
    expectNoEvents(await parse(ctx, { rawBody, headers: {} }), `the body ${JSON.stringify(rawBody)}`);
  }
}

export async function ignoresForeignPayments(harness: AnyHarness, ctx: AnyContext): Promise<void> {
  const foreign = await ctx.signForeignWebhook({ status: anyStatus(harness), signedAt: ctx.now });
  const result = await parse(ctx, foreign);
  expect(['ignored', 'rejected'], 'an event for a payment the provider did not create').toContain(
    result.kind,
  );
}

export async function eventIdsIdentifyEvents(harness: AnyHarness, ctx: AnyContext): Promise<void> {
  const status = anyStatus(harness);
  const first = await ctx.signWebhook({
    providerReference: await start(ctx, uniqueKey('id-a')),
    status,
    signedAt: ctx.now,
  });
  const second = await ctx.signWebhook({
    providerReference: await start(ctx, uniqueKey('id-b')),
    status,
    signedAt: ctx.now,
  });
  const idsOf = async (webhook: ConformanceWebhook) =>
    expectEvents(await parse(ctx, webhook), 'an authentic webhook').map((event) => event.providerEventId);
  const firstIds = await idsOf(first);
  expect(await idsOf(first), 'a redelivered webhook keeps its event ids (they deduplicate)').toEqual(
    firstIds,
  );
  const secondIds = await idsOf(second);
  for (const id of secondIds)
    expect(firstIds, 'events about different checkouts share no id').not.toContain(id);
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
