import { describe, expect, it } from 'vitest';
import { paymentStatuses } from './payment-status.js';
import { canEventuallyReach, canTransition, checkTransition } from './payment-transitions.js';

const allowed = new Set([
  'processing>complete',
  'processing>cancelled',
  'processing>confirmed_by_team_member',
  'complete>returned',
  'confirmed_by_team_member>returned',
  'cancelled>complete',
]);

describe('canTransition', () => {
  const pairs = paymentStatuses.flatMap((from) => paymentStatuses.map((to) => [from, to] as const));

  it.each(pairs)('%s -> %s follows the table in DESIGN.md', (from, to) => {
    expect(canTransition(from, to)).toBe(allowed.has(`${from}>${to}`));
  });
});

describe('checkTransition', () => {
  it('returns the transition when allowed', () => {
    expect(checkTransition('complete', 'returned')).toEqual({
      ok: true,
      value: { from: 'complete', to: 'returned' },
    });
  });

  it('refuses with a readable message otherwise', () => {
    expect(checkTransition('returned', 'complete')).toEqual({
      ok: false,
      error: {
        code: 'transition_not_allowed',
        field: 'status',
        message: 'A payment cannot go from Returned to Complete',
      },
    });
  });
});

describe('canEventuallyReach', () => {
  it.each([
    ['processing', 'returned', true],
    ['cancelled', 'returned', true],
    ['processing', 'processing', false],
    ['complete', 'cancelled', false],
    ['confirmed_by_team_member', 'complete', false],
    ['complete', 'confirmed_by_team_member', false],
    ['returned', 'complete', false],
  ] as const)('%s ->* %s is %s', (from, to, expected) => {
    expect(canEventuallyReach(from, to)).toBe(expected);
  });

  it('never leads back to processing, so a late processing can never apply', () => {
    for (const from of paymentStatuses) expect(canEventuallyReach(from, 'processing')).toBe(false);
  });
});
