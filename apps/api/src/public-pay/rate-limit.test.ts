import { describe, expect, it } from 'vitest';
import { createFixedWindowLimiter } from './rate-limit.js';

function limiterAt(start: string, limit = 3) {
  let now = new Date(start);
  const limiter = createFixedWindowLimiter({ limit, windowMs: 60_000, now: () => now, sweepAbove: 2 });
  return { limiter, move: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe('fixed-window rate limiter', () => {
  it('allows the limit within a window and refuses the next, saying when the window ends', () => {
    const { limiter } = limiterAt('2026-11-26T12:00:15Z');
    expect([1, 2, 3].map(() => limiter.hit('ip|get').allowed)).toEqual([true, true, true]);
    expect(limiter.hit('ip|get')).toEqual({ allowed: false, retryAfterSeconds: 45 });
  });

  it('starts counting again in the next window', () => {
    const { limiter, move } = limiterAt('2026-11-26T12:00:50Z');
    for (let i = 0; i < 4; i++) limiter.hit('ip|get');
    expect(limiter.hit('ip|get').allowed).toBe(false);
    move(10_000);
    expect(limiter.hit('ip|get').allowed).toBe(true);
  });

  it('counts every key on its own', () => {
    const { limiter } = limiterAt('2026-11-26T12:00:00Z', 1);
    expect(limiter.hit('a|get').allowed).toBe(true);
    expect(limiter.hit('a|checkout').allowed).toBe(true);
    expect(limiter.hit('b|get').allowed).toBe(true);
    expect(limiter.hit('a|get').allowed).toBe(false);
  });

  it('keeps counting correctly after old windows are swept', () => {
    const { limiter, move } = limiterAt('2026-11-26T12:00:00Z', 1);
    limiter.hit('a');
    limiter.hit('b');
    limiter.hit('c');
    move(60_000);
    // The sweep runs here; the fresh window for 'a' must not inherit the old count.
    expect(limiter.hit('a').allowed).toBe(true);
    expect(limiter.hit('a').allowed).toBe(false);
  });
});
