import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { err, ok } from '../domain-error.js';
import type { Money } from '../money.js';
import type { PaymentProvider, WebhookResult } from '../payment-provider.js';
import type { PaymentStatus } from '../payment-status.js';
import { describeProviderConformance } from './provider-conformance.js';
import * as checks from './provider-conformance-checks.js';
import type {
  ConformanceWebhook,
  ProviderConformanceContext,
  ProviderConformanceHarness,
} from './provider-conformance-harness.js';

// A provider shaped like Mollie: unsigned webhooks that only name a checkout, which the provider
// fetches again. The suite must pass the honest one and catch each broken one.

type Flaw = 'trusts-body-status' | 'accepts-unknown-ids' | 'reads-garbage-as-events' | 'caches-first-state';

const statusTable = { open: 'processing', paid: 'complete', expired: 'cancelled' } as const satisfies Record<
  string,
  PaymentStatus
>;
type FakeStatus = keyof typeof statusTable;
const credentialsSchema = z.strictObject({ apiKey: z.string().startsWith('key_') });
type Credentials = z.infer<typeof credentialsSchema>;
const NOW = new Date('2030-06-01T10:00:00Z');

function createRefetchingFake(flaws: ReadonlySet<Flaw>) {
  const checkouts = new Map<string, { status: FakeStatus; amount: Money }>();
  const byKey = new Map<string, string>();
  const seen = new Map<string, FakeStatus>();
  let counter = 0;
  const provider: PaymentProvider<Credentials> = {
    id: 'refetching-fake',
    displayName: 'Refetching fake',
    currencies: ['EUR', 'JPY'],
    credentialsSchema,
    capabilities: { refunds: false, partialRefunds: false, statusFetch: true, cancelCheckout: false },
    async verifyCredentials() {
      return ok();
    },
    async startCheckout({ idempotencyKey, amount }) {
      const reference = byKey.get(idempotencyKey) ?? `tr_${++counter}`;
      byKey.set(idempotencyKey, reference);
      if (!checkouts.has(reference)) checkouts.set(reference, { status: 'open', amount });
      return {
        kind: 'redirect',
        providerReference: reference,
        redirectUrl: `https://fake.test/${reference}`,
      };
    },
    async fetchStatus({ providerReference }) {
      const checkout = checkouts.get(providerReference);
      if (!checkout) return err({ kind: 'invalid', message: 'Unknown' });
      return ok({
        status: statusTable[checkout.status],
        providerReference,
        amount: checkout.amount,
        occurredAt: NOW,
      });
    },
    async parseWebhook({ rawBody }): Promise<WebhookResult> {
      const form = new URLSearchParams(rawBody);
      const id = form.get('id');
      if (!id && !flaws.has('reads-garbage-as-events'))
        return { kind: 'rejected', error: { kind: 'invalid', message: 'No id' } };
      const reference = id ?? 'tr_garbage';
      const fetched = checkouts.get(reference);
      const lenient = flaws.has('accepts-unknown-ids') || (!id && flaws.has('reads-garbage-as-events'));
      if (!fetched && !lenient) return { kind: 'ignored', reason: 'Unknown id' };
      const bodyStatus = form.get('status') as FakeStatus | null;
      let status = fetched?.status ?? 'open';
      if (flaws.has('trusts-body-status') && bodyStatus) status = bodyStatus;
      if (flaws.has('caches-first-state')) {
        status = seen.get(reference) ?? status;
        seen.set(reference, status);
      }
      return {
        kind: 'events',
        events: [
          {
            status: statusTable[status],
            providerEventId: `${reference}:${status}`,
            providerReference: reference,
            amount: fetched?.amount ?? { minor: 1n, currency: 'EUR' },
            occurredAt: NOW,
          },
        ],
      };
    },
  };
  const context: ProviderConformanceContext<Credentials, undefined, FakeStatus> = {
    provider,
    credentials: { apiKey: 'key_fake' },
    now: NOW,
    signWebhook: ({ providerReference, status }): ConformanceWebhook => {
      const checkout = checkouts.get(providerReference);
      if (!checkout) throw new Error(`Never created ${providerReference}`);
      checkout.status = status;
      // The flawed variants get a hint in the body that an honest one never reads.
      return { rawBody: `id=${providerReference}&status=${status}`, headers: {} };
    },
    signForeignWebhook: () => ({ rawBody: 'id=tr_someone_else', headers: {} }),
    tamper: (webhook) => ({ ...webhook, rawBody: webhook.rawBody.replace(/id=tr_\d+/, 'id=tr_forged') }),
    unsign: (webhook) => webhook,
  };
  return context;
}

function harnessFor(flaws: Flaw[] = []): ProviderConformanceHarness<Credentials, undefined, FakeStatus> {
  return {
    statusTable,
    mapStatus: (status) => statusTable[status],
    webhookAuthentication: 'refetch',
    webhookToleranceMs: 0,
    invalidCredentials: [{}, { apiKey: 'nope' }],
    setup: () => createRefetchingFake(new Set(flaws)),
  };
}

describeProviderConformance('honest refetching fake', harnessFor());

type AnyHarness = ProviderConformanceHarness<unknown, unknown, string>;
type AnyContext = ProviderConformanceContext<unknown, unknown, string>;

describe('the refetch checks catch a provider that', () => {
  const cases: [string, Flaw, (h: AnyHarness, ctx: AnyContext) => Promise<void>][] = [
    ['turns a forged id into an event', 'accepts-unknown-ids', checks.ignoresForgedWebhooks],
    ['trusts a status in the body', 'trusts-body-status', checks.reportsRefetchedState],
    ['keeps the first state it saw', 'caches-first-state', checks.reportsRefetchedState],
    [
      'reads a body without an id as an event',
      'reads-garbage-as-events',
      (_h, ctx) => checks.refusesUnreadableWebhooks(ctx),
    ],
  ];

  it.each(cases)('%s', async (_label, flaw, check) => {
    const h = harnessFor([flaw]) as unknown as AnyHarness;
    await expect(check(h, h.setup() as AnyContext)).rejects.toThrow();
  });
});
