import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysLeft, expiresAt, isExpired, MAX_VALIDITY_DAYS, parseValidityDays } from './link-validity.js';

const t = (iso: string) => new Date(iso);

describe('parseValidityDays', () => {
  it.each([
    [1, 1],
    [30, 30],
    [MAX_VALIDITY_DAYS, MAX_VALIDITY_DAYS],
    ['7', 7],
    ['3650', 3650],
    [null, null],
  ])('accepts %j as %j', (input, days) => {
    expect(parseValidityDays(input)).toEqual({ ok: true, value: days });
  });

  it.each([
    0,
    1.5,
    -3,
    'x',
    Number.NaN,
    Number.POSITIVE_INFINITY,
    MAX_VALIDITY_DAYS + 1,
    1e9,
    '0',
    '07',
    ' 7',
    '7.0',
    '+7',
    '1e1',
    '-3',
    '',
    '3651',
    undefined,
    true,
    [7],
  ])('refuses %j', (input) => {
    expect(parseValidityDays(input)).toMatchObject({
      ok: false,
      error: { code: 'invalid_validity_days', field: 'validityDays' },
    });
  });

  it('accepts exactly the integers 1..MAX', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000, max: 10_000 }), (n) => {
        expect(parseValidityDays(n).ok).toBe(n >= 1 && n <= MAX_VALIDITY_DAYS);
        expect(parseValidityDays(String(n)).ok).toBe(n >= 1 && n <= MAX_VALIDITY_DAYS);
      }),
    );
  });
});

describe('expiresAt', () => {
  it('adds whole days in UTC and drops milliseconds', () => {
    expect(expiresAt(t('2025-03-30T00:30:15.987Z'), 1)).toEqual(t('2025-03-31T00:30:15Z'));
    expect(expiresAt(t('2024-02-28T12:00:00Z'), 2)).toEqual(t('2024-03-01T12:00:00Z'));
  });

  it('is null for unlimited links', () => {
    expect(expiresAt(t('2025-01-01T00:00:00Z'), null)).toBeNull();
  });
});

describe('daysLeft and isExpired', () => {
  const expires = t('2025-01-11T00:00:00Z');

  it.each([
    ['2025-01-01T00:00:00Z', 10],
    ['2025-01-01T00:00:01Z', 10],
    ['2025-01-10T00:00:00Z', 1],
    ['2025-01-10T23:59:59Z', 1],
    ['2025-01-10T23:59:59.999Z', 1],
    ['2025-01-11T00:00:00Z', 0],
    ['2025-01-11T00:00:00.500Z', 0],
    ['2025-02-01T00:00:00Z', 0],
  ])('at %s, %i days are left', (now, days) => {
    expect(daysLeft(expires, t(now))).toBe(days);
    expect(isExpired(expires, t(now))).toBe(days === 0);
  });

  it('is null and never expires when unlimited', () => {
    expect(daysLeft(null, t('2999-01-01T00:00:00Z'))).toBeNull();
    expect(isExpired(null, t('2999-01-01T00:00:00Z'))).toBe(false);
  });

  it('a fresh link shows its full validity', () => {
    fc.assert(
      fc.property(
        fc.date({ min: t('2000-01-01T00:00:00Z'), max: t('2100-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: MAX_VALIDITY_DAYS }),
        (created, days) => {
          expect(daysLeft(expiresAt(created, days), created)).toBe(days);
        },
      ),
    );
  });
});
