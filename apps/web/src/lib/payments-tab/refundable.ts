import type { PaymentStatus } from './types';

/**
 * Which payments get a Refund button: money the workspace holds. The API decides whether the refund
 * goes through (role, provider, status); this only keeps the button off payments with nothing to return.
 */
export const holdsMoney = (status: PaymentStatus) =>
  status === 'complete' || status === 'confirmed_by_team_member';
