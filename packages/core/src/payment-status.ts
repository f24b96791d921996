import { domainError, err, ok, type Result } from './domain-error.js';

export const paymentStatuses = [
  'processing',
  'complete',
  'returned',
  'cancelled',
  'confirmed_by_team_member',
] as const;

export type PaymentStatus = (typeof paymentStatuses)[number];

/** What the Payments section calls "Completed". */
export const completedFilterStatuses = [
  'complete',
  'confirmed_by_team_member',
] as const satisfies readonly PaymentStatus[];

export function paymentStatusLabel(status: PaymentStatus): string {
  switch (status) {
    case 'processing':
      return 'Processing';
    case 'complete':
      return 'Complete';
    case 'returned':
      return 'Returned';
    case 'cancelled':
      return 'Cancelled';
    case 'confirmed_by_team_member':
      return 'Confirmed by team member';
    default:
      return unreachable(status);
  }
}

/** The customer's money arrived (by the provider's word or a team member's). */
export function isSuccessful(status: PaymentStatus): boolean {
  switch (status) {
    case 'complete':
    case 'confirmed_by_team_member':
      return true;
    case 'processing':
    case 'returned':
    case 'cancelled':
      return false;
    default:
      return unreachable(status);
  }
}

export function isPaymentStatus(value: unknown): value is PaymentStatus {
  return typeof value === 'string' && (paymentStatuses as readonly string[]).includes(value);
}

export function parsePaymentStatus(value: unknown, field = 'status'): Result<PaymentStatus> {
  if (isPaymentStatus(value)) return ok(value);
  return err(domainError('unknown_payment_status', `Unknown payment status ${JSON.stringify(value)}`, field));
}

function unreachable(value: never): never {
  throw new Error(`Unhandled payment status ${String(value)}`);
}
