import { domainError, err, ok, type Result } from './domain-error.js';

/** Whole days a link stays payable; `null` means unlimited. */
export type ValidityDays = number | null;

// Ten years: long enough for any real offer, short enough that a typo ("3000000") is caught.
export const MAX_VALIDITY_DAYS = 3650;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Accepts `null` (unlimited), an integer 1..MAX_VALIDITY_DAYS, or the same integer as a plain
 * digit string ("7"), since HTML forms post every value as text. Anything looser (" 7", "7.0",
 * "+7", "1e1", 7.5) is refused rather than guessed at.
 */
export function parseValidityDays(input: unknown, field = 'validityDays'): Result<ValidityDays> {
  if (input === null) return ok(null);
  let days: number | undefined;
  if (typeof input === 'number') days = input;
  else if (typeof input === 'string' && /^[1-9]\d{0,5}$/.test(input)) days = Number(input);
  if (days === undefined || !Number.isInteger(days) || days < 1) {
    return err(
      domainError('invalid_validity_days', 'Validity must be a whole number of days, at least 1', field),
    );
  }
  if (days > MAX_VALIDITY_DAYS) {
    return err(
      domainError('invalid_validity_days', `Validity cannot exceed ${MAX_VALIDITY_DAYS} days`, field),
    );
  }
  return ok(days);
}

// Links are stored and compared to the second, so sub-second parts are dropped before any
// arithmetic; otherwise a link could expire a fraction of a second "before" its stored time.
function toSecond(date: Date): number {
  return Math.floor(date.getTime() / 1000) * 1000;
}

export function expiresAt(createdAt: Date, days: ValidityDays): Date | null {
  if (days === null) return null;
  return new Date(toSecond(createdAt) + days * DAY_MS);
}

export function isExpired(expires: Date | null, now: Date): boolean {
  return expires !== null && toSecond(now) >= toSecond(expires);
}

/** Days shown to the team: any started day counts, and 0 means the link no longer takes payment. */
export function daysLeft(expires: Date | null, now: Date): number | null {
  if (expires === null) return null;
  const remaining = toSecond(expires) - toSecond(now);
  return remaining <= 0 ? 0 : Math.ceil(remaining / DAY_MS);
}
