import { describe, expect, it } from 'vitest';
import { defaultRequestLimits } from '../http/request-limits.js';
import { signInDelayMs } from './sign-in-throttle.js';

const limits = { ...defaultRequestLimits.signIn, delayAfterFailures: 3, delayMs: 500, maxDelayMs: 8000 };

describe('sign-in hold', () => {
  it('holds nothing for the first failures, then doubles up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 100].map((failures) => signInDelayMs(failures, limits))).toEqual([
      0, 0, 0, 500, 1000, 2000, 4000, 8000, 8000, 8000,
    ]);
  });

  it('holds nothing when the hold is turned off', () => {
    expect(signInDelayMs(50, { ...limits, delayMs: 0 })).toBe(0);
  });
});
