import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyPaymentEvent,
  type PaymentEvent,
  paymentEventPrecedence,
  type Settlement,
  settlePaymentEvents,
} from './apply-payment-event.js';
import { type PaymentStatus, paymentStatuses } from './payment-status.js';

const at = new Date('2025-01-01T00:00:00Z');
const ev = (status: PaymentStatus, providerEventId?: string): PaymentEvent => ({
  status,
  providerEventId,
  occurredAt: at,
});
const statusArb = fc.constantFrom(...paymentStatuses);
const eventsArb = fc.array(statusArb, { maxLength: 10 }).map((list) => list.map((s, i) => ev(s, `evt_${i}`)));
const eventsAndPermutation = eventsArb.chain((events) =>
  fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length })),
);

function summary(s: Settlement<PaymentEvent>) {
  return {
    status: s.status,
    applied: s.outcomes.flatMap(({ outcome: o }) => (o.kind === 'applied' ? [`${o.from}>${o.to}`] : [])),
    labels: s.outcomes.map(({ event, outcome }) => `${event.status}:${outcome.kind}`).sort(),
    pending: s.pending.map((e) => e.status).sort(),
  };
}

// The production caller: one event per call, pending ones kept and retried after each change.
function oneAtATime(initial: PaymentStatus, events: readonly PaymentEvent[]): PaymentStatus {
  let status = initial;
  let pending: PaymentEvent[] = [];
  for (const event of events) {
    const outcome = applyPaymentEvent(status, event);
    if (outcome.kind === 'pending') pending.push(event);
    if (outcome.kind !== 'applied') continue;
    const settled = settlePaymentEvents(outcome.to, pending);
    status = settled.status;
    pending = settled.pending;
  }
  return status;
}

describe('applyPaymentEvent', () => {
  it.each([
    ['processing', 'complete', 'applied'],
    ['processing', 'cancelled', 'applied'],
    ['processing', 'confirmed_by_team_member', 'applied'],
    ['complete', 'returned', 'applied'],
    ['confirmed_by_team_member', 'returned', 'applied'],
    ['cancelled', 'complete', 'applied'],
    ['complete', 'complete', 'duplicate'],
    ['complete', 'processing', 'stale'],
    ['returned', 'processing', 'stale'],
    ['cancelled', 'processing', 'stale'],
    ['complete', 'cancelled', 'stale'],
    ['returned', 'complete', 'stale'],
    ['processing', 'returned', 'pending'],
    ['cancelled', 'returned', 'pending'],
    ['complete', 'confirmed_by_team_member', 'refused'],
    ['confirmed_by_team_member', 'complete', 'refused'],
    ['cancelled', 'confirmed_by_team_member', 'refused'],
    ['confirmed_by_team_member', 'cancelled', 'refused'],
  ] as const)('%s + %s event is %s', (current, received, kind) => {
    expect(applyPaymentEvent(current, ev(received)).kind).toBe(kind);
  });

  it('gives the transition of an applied event and the error of a refused one', () => {
    expect(applyPaymentEvent('complete', ev('returned'))).toEqual({
      kind: 'applied',
      from: 'complete',
      to: 'returned',
    });
    expect(applyPaymentEvent('complete', ev('confirmed_by_team_member'))).toMatchObject({
      kind: 'refused',
      error: { code: 'transition_not_allowed' },
    });
  });

  it('never lets a late processing overwrite any other status', () => {
    for (const s of paymentStatuses.filter((s) => s !== 'processing')) {
      expect(applyPaymentEvent(s, ev('processing'))).toEqual({
        kind: 'stale',
        current: s,
        received: 'processing',
      });
    }
  });
});

describe('settlePaymentEvents', () => {
  it.each([
    [['returned'], 'processing', ['returned']],
    [['returned', 'complete'], 'returned', []],
    [['returned', 'confirmed_by_team_member'], 'returned', []],
    [['returned', 'cancelled'], 'cancelled', ['returned']],
    [['returned', 'cancelled', 'complete'], 'returned', []],
    [['complete', 'confirmed_by_team_member'], 'complete', []],
    [['cancelled', 'confirmed_by_team_member'], 'confirmed_by_team_member', []],
    [['cancelled', 'complete'], 'complete', []],
    [['processing', 'complete', 'processing'], 'complete', []],
  ] as const)('from processing, %j settles to %s', (statuses, final, pending) => {
    const result = settlePaymentEvents(
      'processing',
      statuses.map((s) => ev(s)),
    );
    expect(result.status).toBe(final);
    expect(result.pending.map((e) => e.status)).toEqual(pending);
  });

  it('reports the conflicting loser as refused so the caller can flag it', () => {
    const result = settlePaymentEvents('processing', [
      ev('confirmed_by_team_member', 'm'),
      ev('complete', 'p'),
    ]);
    expect(result.outcomes.map((o) => [o.event.providerEventId, o.outcome.kind])).toEqual([
      ['p', 'applied'],
      ['m', 'refused'],
    ]);
  });

  it('keeps the caller event type in outcomes and pending', () => {
    const result = settlePaymentEvents('processing', [{ status: 'returned' as const, receiptId: 7 }]);
    expect(result.pending[0]?.receiptId).toBe(7);
  });

  it('ranks every status exactly once', () => {
    expect([...paymentEventPrecedence].sort()).toEqual([...paymentStatuses].sort());
  });

  it('ends the same way for any order of the same events, duplicates included', () => {
    fc.assert(
      fc.property(statusArb, eventsAndPermutation, (initial, [events, permuted]) => {
        expect(summary(settlePaymentEvents(initial, permuted))).toEqual(
          summary(settlePaymentEvents(initial, events)),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('is not moved by late processing events', () => {
    fc.assert(
      fc.property(statusArb, eventsArb, fc.integer({ min: 1, max: 3 }), (initial, events, n) => {
        const late = Array.from({ length: n }, () => ev('processing'));
        const before = settlePaymentEvents(initial, events);
        const after = settlePaymentEvents(initial, [...events, ...late]);
        expect(after.status).toBe(before.status);
        const lateKinds = after.outcomes.filter((o) => late.includes(o.event)).map((o) => o.outcome.kind);
        // A processing event seen while the payment is still processing is a harmless duplicate.
        const expected = initial === 'processing' ? ['stale', 'duplicate'] : ['stale'];
        expect(lateKinds).toHaveLength(n);
        for (const kind of lateKinds) expect(expected).toContain(kind);
      }),
    );
  });

  it('ends Returned for every ordering of a success and a refund', () => {
    const success = fc.constantFrom<PaymentStatus>('complete', 'confirmed_by_team_member');
    const extra = fc.array(fc.constantFrom<PaymentStatus>('processing', 'returned'), { maxLength: 4 });
    const orders = fc
      .tuple(success, extra)
      .chain(([s, more]) =>
        fc.shuffledSubarray<PaymentStatus>([s, 'returned', ...more], { minLength: more.length + 2 }),
      );
    fc.assert(
      fc.property(orders, (statuses) => {
        const result = settlePaymentEvents(
          'processing',
          statuses.map((s) => ev(s)),
        );
        expect(result.status).toBe('returned');
        expect(result.pending).toEqual([]);
        expect(
          oneAtATime(
            'processing',
            statuses.map((s) => ev(s)),
          ),
        ).toBe('returned');
      }),
    );
  });

  it('matches the one-at-a-time caller whenever the events hold no conflicting pair', () => {
    const conflicting = (events: PaymentEvent[]) => {
      const has = (s: PaymentStatus) => events.some((e) => e.status === s);
      return has('confirmed_by_team_member') && (has('complete') || has('cancelled'));
    };
    fc.assert(
      fc.property(statusArb, eventsArb, (initial, events) => {
        fc.pre(!conflicting(events));
        expect(oneAtATime(initial, events)).toBe(settlePaymentEvents(initial, events).status);
      }),
      { numRuns: 500 },
    );
  });

  it('one-at-a-time, the first of a conflicting pair wins (documents the limit of order-independence)', () => {
    expect(oneAtATime('processing', [ev('confirmed_by_team_member'), ev('complete')])).toBe(
      'confirmed_by_team_member',
    );
    expect(settlePaymentEvents('processing', [ev('confirmed_by_team_member'), ev('complete')]).status).toBe(
      'complete',
    );
  });
});
