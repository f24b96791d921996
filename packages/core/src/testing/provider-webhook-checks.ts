import { expect } from 'vitest';
import type { WebhookResult } from '../payment-provider.js';
import {
  type AnyContext,
  type AnyHarness,
  anyStatus,
  expectEvents,
  parse,
  start,
  uniqueKey,
} from './conformance-support.js';
import type { ConformanceWebhook } from './provider-conformance-harness.js';

// The webhook checks: authentic events accepted, forged, stale, unsigned and foreign ones changing
// nothing, stable event ids; and, for providers that re-fetch instead of signing, the refetch checks.

const ONE_SECOND = 1000;

function shifted(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms);
}

function expectRejected(result: WebhookResult, what: string): void {
  expect(result.kind, `${what} must be rejected`).toBe('rejected');
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
