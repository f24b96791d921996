import type { DomainError } from './domain-error.js';
import type { PaymentStatus } from './payment-status.js';
import { canEventuallyReach, checkTransition } from './payment-transitions.js';

/** A status report from any source: webhook, redirect return, reconciliation, manual confirmation. */
export type PaymentEvent = {
  status: PaymentStatus;
  providerEventId?: string;
  // Kept for the audit trail only. Provider clocks, our clock and arrival order all disagree, so
  // ordering decisions come from the transition table and the precedence below, never from time.
  occurredAt: Date;
};

export type PaymentEventOutcome =
  | { kind: 'applied'; from: PaymentStatus; to: PaymentStatus }
  /** The payment already has this status. */
  | { kind: 'duplicate'; status: PaymentStatus }
  /** The event describes a state the payment has already passed, e.g. a late `processing`. */
  | { kind: 'stale'; current: PaymentStatus; received: PaymentStatus }
  /** Can never apply from here; the caller logs it (and flags it for the team), never applies it. */
  | { kind: 'refused'; current: PaymentStatus; received: PaymentStatus; error: DomainError }
  /** Arrived early (e.g. `returned` before the success): keep it and retry after the next change. */
  | { kind: 'pending'; current: PaymentStatus; received: PaymentStatus };

export type SettledOutcome = Exclude<PaymentEventOutcome, { kind: 'pending' }>;

export function applyPaymentEvent(
  current: PaymentStatus,
  event: { status: PaymentStatus },
): PaymentEventOutcome {
  const received = event.status;
  if (received === current) return { kind: 'duplicate', status: current };
  const transition = checkTransition(current, received);
  if (transition.ok) return { kind: 'applied', ...transition.value };
  // The table is acyclic, so these two checks are exclusive and each answer is permanent: the payment
  // only moves forward, and what lies ahead of it (or behind it) stays so.
  if (canEventuallyReach(current, received)) return { kind: 'pending', current, received };
  if (canEventuallyReach(received, current)) return { kind: 'stale', current, received };
  return { kind: 'refused', current, received, error: transition.error };
}

/**
 * When several events could apply to the same status, the earlier entry wins.
 *
 * Why: the table offers `processing` three exits (complete, confirmed_by_team_member, cancelled), and
 * once one is taken the others are refused. Choosing by arrival order would make the same set of
 * events end differently depending on network timing. So among events that could all apply, the
 * provider's success beats a team member's confirmation (the provider's record is the one a refund
 * and reconciliation can act on), and either success beats a cancellation (a cancelled checkout can
 * still be paid; a confirmed payment is the team's statement that money arrived). Only `processing`
 * ever has more than one exit, so the other entries are there for completeness.
 */
export const paymentEventPrecedence = [
  'returned',
  'complete',
  'confirmed_by_team_member',
  'cancelled',
  'processing',
] as const satisfies readonly PaymentStatus[];

function rank(status: PaymentStatus): number {
  return paymentEventPrecedence.indexOf(status);
}

export type Settlement<E> = {
  status: PaymentStatus;
  /** Every event that reached a decision, applied ones in the order they were applied. */
  outcomes: { event: E; outcome: SettledOutcome }[];
  /** Events still waiting for a status that may yet come; store them and settle again later. */
  pending: E[];
};

/**
 * Applies every event that can apply, retrying the waiting ones after each change, until nothing
 * moves. The final status depends only on the multiset of event statuses, not on their order.
 *
 * A caller handling one event at a time uses `applyPaymentEvent`, stores a `pending` one, and after
 * each `applied` one calls `settlePaymentEvents(newStatus, storedPending)`. That matches this fold
 * except when conflicting events arrive in separate calls: the first applied then wins and the other
 * is refused (and flagged), because the table has no way back from a success.
 */
export function settlePaymentEvents<E extends { status: PaymentStatus }>(
  initial: PaymentStatus,
  events: readonly E[],
): Settlement<E> {
  let status = initial;
  let waiting = [...events];
  const outcomes: Settlement<E>['outcomes'] = [];
  for (;;) {
    const stillWaiting: E[] = [];
    let chosen: E | undefined;
    for (const event of waiting) {
      const outcome = applyPaymentEvent(status, event);
      if (outcome.kind === 'pending') {
        stillWaiting.push(event);
      } else if (outcome.kind !== 'applied') {
        outcomes.push({ event, outcome });
      } else if (chosen === undefined || rank(event.status) < rank(chosen.status)) {
        if (chosen !== undefined) stillWaiting.push(chosen);
        chosen = event;
      } else {
        stillWaiting.push(event);
      }
    }
    if (chosen === undefined) return { status, outcomes, pending: stillWaiting };
    outcomes.push({ event: chosen, outcome: { kind: 'applied', from: status, to: chosen.status } });
    status = chosen.status;
    waiting = stillWaiting;
  }
}
