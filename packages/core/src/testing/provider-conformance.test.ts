import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { currencyExponent } from '../currency.js';
import { err, ok } from '../domain-error.js';
import { createMoney, type Money } from '../money.js';
import type { PaymentProvider, WebhookResult } from '../payment-provider.js';
import type { PaymentStatus } from '../payment-status.js';
import { describeProviderConformance } from './provider-conformance.js';
import * as checks from './provider-conformance-checks.js';
import type {
  ConformanceWebhook,
  ProviderConformanceContext,
  ProviderConformanceHarness,
} from './provider-conformance-harness.js';

// A small provider written only for these tests, plus switches that each break one promise of the
// contract. The suite must pass the honest one and catch every broken one.

type Flaw =
  | 'not-idempotent'
  | 'trusts-any-signature'
  | 'ignores-timestamp'
  | 'accepts-foreign'
  | 'amounts-in-cents'
  | 'claims-refunds'
  | 'accepts-any-credentials'
  | 'maps-failed-as-complete'
  | 'fresh-event-id-per-parse'
  | 'cancel-leaves-open'
  | 'cancel-not-repeatable'
  | 'accepts-off-step';

const fakeStatuses = ['pending', 'succeeded', 'failed', 'refunded'] as const;
type FakeStatus = (typeof fakeStatuses)[number];
const statusTable: Record<FakeStatus, PaymentStatus> = {
  pending: 'processing',
  succeeded: 'complete',
  failed: 'cancelled',
  refunded: 'returned',
};

const credentialsSchema = z.strictObject({ secret: z.string().min(16) });
type Credentials = z.infer<typeof credentialsSchema>;
const TOLERANCE_MS = 60_000;
const NOW = new Date('2030-06-01T10:00:00Z');

function sign(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `${t}:${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

// Wire amounts as an integer scaled by the currency exponent; the flawed variant assumes cents.
function toWire(money: Money, flaws: ReadonlySet<Flaw>): number {
  const exponent = flaws.has('amounts-in-cents') ? 2 : currencyExponent(money.currency);
  return Number(money.minor) / 10 ** exponent;
}
function fromWire(amount: number, currency: string): Money {
  const money = createMoney(BigInt(Math.round(amount * 10 ** currencyExponent(currency))), currency);
  if (!money.ok) throw new Error(money.error.message);
  return money.value;
}

function createFakeProvider(flaws: ReadonlySet<Flaw>) {
  const byKey = new Map<string, string>();
  const checkouts = new Map<string, Money>();
  const closed = new Set<string>();
  let counter = 0;
  const provider: PaymentProvider<Credentials> = {
    id: 'fake',
    displayName: 'Fake',
    currencies: 'all',
    credentialsSchema: flaws.has('accepts-any-credentials')
      ? (z.any() as z.ZodType<Credentials>)
      : credentialsSchema,
    capabilities: {
      refunds: flaws.has('claims-refunds'),
      partialRefunds: false,
      statusFetch: true,
      cancelCheckout: true,
    },
    // Like Stripe: KWD only in whole hundredths of a dinar.
    amountStep: (currency) => (currency === 'KWD' ? 10n : 1n),
    async verifyCredentials() {
      return ok();
    },
    modeOf: () => 'test',
    async startCheckout({ idempotencyKey, amount }) {
      if (amount.currency === 'KWD' && amount.minor % 10n !== 0n && !flaws.has('accepts-off-step')) {
        return { kind: 'failed', error: { kind: 'invalid', message: 'KWD in steps of 10' } };
      }
      const existing = flaws.has('not-idempotent') ? undefined : byKey.get(idempotencyKey);
      const reference = existing ?? `ref_${++counter}`;
      byKey.set(idempotencyKey, reference);
      // Stored as the wire number, so a wrong exponent shows up on the way back.
      checkouts.set(reference, fromWire(toWire(amount, flaws), amount.currency));
      return {
        kind: 'redirect',
        providerReference: reference,
        redirectUrl: `https://fake.test/${reference}`,
      };
    },
    async fetchStatus({ providerReference }) {
      const amount = checkouts.get(providerReference);
      if (!amount) return err({ kind: 'invalid', message: 'Unknown reference' });
      const status = closed.has(providerReference) ? 'cancelled' : 'processing';
      return ok({ status, providerReference, amount, occurredAt: NOW });
    },
    async cancelCheckout({ providerReference }) {
      if (!checkouts.has(providerReference))
        return { kind: 'failed', error: { kind: 'invalid', message: 'Unknown' } };
      if (closed.has(providerReference) && flaws.has('cancel-not-repeatable')) {
        return { kind: 'failed', error: { kind: 'invalid', message: 'Already closed' } };
      }
      if (!flaws.has('cancel-leaves-open')) closed.add(providerReference);
      return { kind: 'cancelled' };
    },
    async parseWebhook({ rawBody, headers, credentials, now }): Promise<WebhookResult> {
      const reject = (message: string): WebhookResult => ({
        kind: 'rejected',
        error: { kind: 'invalid', message },
      });
      const [t, digest] = (headers['fake-signature'] ?? '').split(':');
      if (!flaws.has('trusts-any-signature')) {
        if (!t || !digest) return reject('Unsigned');
        const expected = createHmac('sha256', credentials.secret).update(`${t}.${rawBody}`).digest();
        const given = Buffer.from(digest, 'hex');
        if (given.length !== expected.length || !timingSafeEqual(given, expected))
          return reject('Bad signature');
        if (!flaws.has('ignores-timestamp') && Math.abs(now.getTime() - Number(t) * 1000) > TOLERANCE_MS) {
          return reject('Stale');
        }
      }
      const body = JSON.parse(rawBody) as {
        id: string;
        ref: string;
        status: FakeStatus;
        amount: number;
        currency: string;
      };
      if (!checkouts.has(body.ref) && !flaws.has('accepts-foreign'))
        return { kind: 'ignored', reason: 'Not ours' };
      const mapped =
        flaws.has('maps-failed-as-complete') && body.status === 'failed'
          ? 'complete'
          : statusTable[body.status];
      const id = flaws.has('fresh-event-id-per-parse') ? `evt_${++counter}` : body.id;
      return {
        kind: 'events',
        events: [
          {
            status: mapped,
            providerEventId: id,
            providerReference: body.ref,
            amount: fromWire(body.amount, body.currency),
            occurredAt: now,
          },
        ],
      };
    },
  };
  let eventCounter = 0;
  const credentials: Credentials = { secret: 'fake-secret-0123456789' };
  const webhook = (ref: string, status: FakeStatus, signedAt: Date): ConformanceWebhook => {
    const amount = checkouts.get(ref) ?? { minor: 100n, currency: 'EUR' };
    const rawBody = JSON.stringify({
      id: `evt_${ref}_${++eventCounter}`,
      ref,
      status,
      amount: toWire(amount, flaws),
      currency: amount.currency,
    });
    return { rawBody, headers: { 'fake-signature': sign(credentials.secret, rawBody, signedAt) } };
  };
  const context: ProviderConformanceContext<Credentials, undefined, FakeStatus> = {
    provider,
    credentials,
    now: NOW,
    signWebhook: ({ providerReference, status, signedAt }) => webhook(providerReference, status, signedAt),
    signForeignWebhook: ({ status, signedAt }) => webhook('ref_someone_else', status, signedAt),
    tamper: (w) => ({ ...w, rawBody: w.rawBody.replace(/"amount":(\d+)/, '"amount":9$1') }),
    unsign: (w) => ({ ...w, headers: {} }),
  };
  return context;
}

function harnessFor(flaws: Flaw[] = []): ProviderConformanceHarness<Credentials, undefined, FakeStatus> {
  return {
    statusTable,
    mapStatus: (status) => statusTable[status],
    webhookToleranceMs: TOLERANCE_MS,
    invalidCredentials: [{}, { secret: 'short' }, { secret: 'fake-secret-0123456789', extra: 1 }],
    setup: () => createFakeProvider(new Set(flaws)),
  };
}

describeProviderConformance('honest fake', harnessFor());

type AnyHarness = ProviderConformanceHarness<unknown, unknown, string>;
type AnyContext = ProviderConformanceContext<unknown, unknown, string>;

function broken(flaw: Flaw): { h: AnyHarness; ctx: AnyContext } {
  const h = harnessFor([flaw]) as unknown as AnyHarness;
  return { h, ctx: h.setup() as AnyContext };
}

describe('the conformance checks catch a provider that', () => {
  const cases: [string, Flaw, (h: AnyHarness, ctx: AnyContext) => Promise<void> | void][] = [
    [
      'creates a new checkout for a repeated key',
      'not-idempotent',
      (_h, ctx) => checks.checkoutIsIdempotentPerKey(ctx),
    ],
    ['trusts any signature (tampered)', 'trusts-any-signature', checks.rejectsTamperedWebhooks],
    ['trusts any signature (unsigned)', 'trusts-any-signature', checks.rejectsUnsignedWebhooks],
    ['ignores the signing time', 'ignores-timestamp', checks.rejectsStaleWebhooks],
    ['turns foreign payments into events', 'accepts-foreign', checks.ignoresForeignPayments],
    ['gives a redelivered event a new id', 'fresh-event-id-per-parse', checks.eventIdsIdentifyEvents],
    [
      'claims refunds without refund()',
      'claims-refunds',
      (_h, ctx) => checks.capabilitiesMatchFunctions(ctx),
    ],
    ['accepts any credentials', 'accepts-any-credentials', checks.credentialsAreValidated],
    [
      'says cancelled but leaves the checkout open',
      'cancel-leaves-open',
      (_h, ctx) => checks.cancelCheckoutCloses(ctx),
    ],
    ['fails a repeated cancel', 'cancel-not-repeatable', (_h, ctx) => checks.cancelCheckoutCloses(ctx)],
    [
      'maps a status against its table',
      'maps-failed-as-complete',
      (h, ctx) => checks.statusMapsAsDocumented(h, ctx, 'failed'),
    ],
    ['assumes two decimals for JPY', 'amounts-in-cents', (h, ctx) => checks.amountsRoundTrip(h, ctx, 'JPY')],
    ['assumes two decimals for KWD', 'amounts-in-cents', (h, ctx) => checks.amountsRoundTrip(h, ctx, 'KWD')],
    [
      'declares an amount step it does not keep',
      'accepts-off-step',
      (h, ctx) => checks.amountsRoundTrip(h, ctx, 'KWD'),
    ],
  ];

  it.each(cases)('%s', async (_label, flaw, check) => {
    const { h, ctx } = broken(flaw);
    await expect(Promise.resolve().then(() => check(h, ctx))).rejects.toThrow();
  });

  it('but not one whose only flaw is cents, when the currency has two decimals', async () => {
    const { h, ctx } = broken('amounts-in-cents');
    await expect(checks.amountsRoundTrip(h, ctx, 'EUR')).resolves.toBeUndefined();
  });
});

describe('currencyForExponent', () => {
  it('prefers JPY, EUR and KWD and falls back to another currency of the same exponent', () => {
    expect(checks.currencyForExponent('all', 3)).toBe('KWD');
    expect(checks.currencyForExponent(['USD', 'EUR'], 2)).toBe('EUR');
    expect(checks.currencyForExponent(['USD'], 2)).toBe('USD');
    expect(checks.currencyForExponent(['BHD'], 3)).toBe('BHD');
    expect(checks.currencyForExponent(['EUR'], 0)).toBeUndefined();
  });
});
