import { randomBytes } from 'node:crypto';
import type { MollieAmount } from '../mollie-money.js';
import type { MollieStatus } from '../mollie-status.js';

export type SimulatedRefund = {
  id: string;
  paymentId: string;
  amount: MollieAmount;
  status: 'pending' | 'refunded' | 'failed';
  createdAt: string;
};

export type SimulatedPayment = {
  id: string;
  /** The key that created it: Mollie shows a payment only to its own profile and mode. */
  apiKey: string;
  status: MollieStatus;
  amount: MollieAmount;
  amountRefunded?: MollieAmount;
  amountChargedBack?: MollieAmount;
  description: string;
  redirectUrl?: string;
  webhookUrl?: string;
  metadata: unknown;
  /** Card payments in progress cannot be canceled at Mollie; tests can say so per payment. */
  cancelable: boolean;
  createdAt: string;
  paidAt?: string;
  canceledAt?: string;
  expiredAt?: string;
  failedAt?: string;
  refunds: SimulatedRefund[];
};

/** Mollie-looking ids: a prefix and 10 alphanumeric characters. */
export function mollieId(prefix: 'tr' | 're'): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(10);
  return `${prefix}_${[...bytes].map((b) => alphabet[b % alphabet.length]).join('')}`;
}

export function sumAmounts(a: MollieAmount | undefined, b: MollieAmount, decimals: number): MollieAmount {
  const minor = (value: string) => BigInt(value.replace('.', ''));
  const total = (a ? minor(a.value) : 0n) + minor(b.value);
  return { currency: b.currency, value: formatMinor(total, decimals) };
}

export function formatMinor(minor: bigint, decimals: number): string {
  if (decimals === 0) return minor.toString();
  const digits = minor.toString().padStart(decimals + 1, '0');
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** Sets a status the way Mollie would, with its timestamp. */
export function moveTo(payment: SimulatedPayment, status: MollieStatus, at: Date): void {
  payment.status = status;
  const stamp = at.toISOString();
  if (status === 'paid') payment.paidAt = stamp;
  if (status === 'canceled') payment.canceledAt = stamp;
  if (status === 'expired') payment.expiredAt = stamp;
  if (status === 'failed') payment.failedAt = stamp;
}
