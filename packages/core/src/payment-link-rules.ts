import { domainError, err, ok, type Result } from './domain-error.js';
import { isExpired } from './link-validity.js';
import { isZero, type Money, parseMoney } from './money.js';
import { isSuccessful, type PaymentStatus } from './payment-status.js';

export const linkOrigins = ['contact', 'deal'] as const;
export type LinkOrigin = (typeof linkOrigins)[number];

export type LinkState = 'active' | 'expired' | 'deleted' | 'paid';

export type LinkFacts = {
  origin: LinkOrigin;
  deletedAt: Date | null;
  expiresAt: Date | null;
  hasSuccessfulPayment: boolean;
};

export function parseLinkOrigin(input: unknown, field = 'origin'): Result<LinkOrigin> {
  if (typeof input === 'string' && (linkOrigins as readonly string[]).includes(input)) {
    return ok(input as LinkOrigin);
  }
  return err(domainError('unknown_link_origin', 'Origin must be "contact" or "deal"', field));
}

/** A link's amount: like parseMoney, but nobody can be asked to pay nothing. */
export function parseLinkAmount(amount: unknown, currency: unknown): Result<Money> {
  const money = parseMoney(amount, currency);
  if (money.ok && isZero(money.value)) {
    return err(domainError('zero_amount', 'Amount must be greater than zero', 'amount'));
  }
  return money;
}

// Deleted wins over paid, and paid over expired: the public page should give the payer the most
// useful reason ("already paid" says more than "expired" about a deal link paid last month).
export function linkState(link: LinkFacts, now: Date): LinkState {
  if (link.deletedAt !== null) return 'deleted';
  if (link.hasSuccessfulPayment && paidLinkCloses(link.origin)) return 'paid';
  if (isExpired(link.expiresAt, now)) return 'expired';
  return 'active';
}

export function isPayable(link: LinkFacts, now: Date): boolean {
  return linkState(link, now) === 'active';
}

/** Whether a status change should take the link off its deal (it stays in history either way). */
export function shouldRemoveLinkAfterPayment(origin: LinkOrigin, status: PaymentStatus): boolean {
  return isSuccessful(status) && paidLinkCloses(origin);
}

// A deal link sells one thing once; a contact link is a standing offer on the contact card that
// creates a fresh deal for every payment, so it stays up after each one.
function paidLinkCloses(origin: LinkOrigin): boolean {
  switch (origin) {
    case 'deal':
      return true;
    case 'contact':
      return false;
    default: {
      const unhandled: never = origin;
      throw new Error(`Unhandled link origin ${String(unhandled)}`);
    }
  }
}
