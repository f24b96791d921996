import { domainError, err, ok, type Result } from './domain-error.js';
import { type PaymentStatus, paymentStatusLabel } from './payment-status.js';

/** The only status changes a payment may make; anything else is refused and logged, never applied. */
export const paymentTransitions: { readonly [From in PaymentStatus]: readonly PaymentStatus[] } = {
  processing: ['complete', 'cancelled', 'confirmed_by_team_member'],
  complete: ['returned'],
  // A manual refund of a payment a team member confirmed.
  confirmed_by_team_member: ['returned'],
  // The customer retried in the same checkout and succeeded.
  cancelled: ['complete'],
  returned: [],
};

export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return paymentTransitions[from].includes(to);
}

export function checkTransition(
  from: PaymentStatus,
  to: PaymentStatus,
): Result<{ from: PaymentStatus; to: PaymentStatus }> {
  if (canTransition(from, to)) return ok({ from, to });
  return err(
    domainError(
      'transition_not_allowed',
      `A payment cannot go from ${paymentStatusLabel(from)} to ${paymentStatusLabel(to)}`,
      'status',
    ),
  );
}

/** True when `to` can be reached from `from` in one or more allowed steps. */
export function canEventuallyReach(from: PaymentStatus, to: PaymentStatus): boolean {
  const seen = new Set<PaymentStatus>();
  const queue: PaymentStatus[] = [...paymentTransitions[from]];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (next === to) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...paymentTransitions[next]);
  }
  return false;
}
