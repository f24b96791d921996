import type { PaymentStatus } from './types';

/**
 * Which payments get a Refund button: money the workspace holds. The API decides whether the refund
 * goes through (role, provider, status, what is left); this only keeps the button off payments with
 * nothing to return.
 */
export const holdsMoney = (status: PaymentStatus) =>
  status === 'complete' || status === 'confirmed_by_team_member';

/** Whether anything is left to refund, from the API's decimal string ("0.00" is nothing). */
export const hasRefundable = (left: { amount: string }) => /[1-9]/.test(left.amount);

/**
 * The amount typed in the refund form as the API takes it: minor units of the payment's currency,
 * whose decimals are those of `left` (the API writes amounts with exactly the currency's decimals).
 * A comma is read as the decimal point, as half the world types it. Undefined: not an amount.
 */
export function typedMinorUnits(typed: string, left: string): number | undefined {
  const digits = left.split('.')[1]?.length ?? 0;
  const match = /^(\d{1,15})(?:[.,](\d+))?$/.exec(typed.trim());
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return undefined;
  const minor = Number(`${match[1]}${fraction.padEnd(digits, '0')}`);
  return Number.isSafeInteger(minor) ? minor : undefined;
}
