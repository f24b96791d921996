/** Retries stop once the next try would come later than this after the event was queued. */
export const RETRY_WINDOW_MS = 3 * 24 * 60 * 60_000;
export const FIRST_RETRY_DELAY_MS = 30_000;

/**
 * When to try again after `attempts` failed tries: 30 s, then doubling (1 min, 2 min … about 34 h),
 * or null when that would fall outside the 3-day window and the delivery has failed for good.
 */
export function nextRetryAt(input: { attempts: number; queuedAt: Date; now: Date }): Date | null {
  const delay = FIRST_RETRY_DELAY_MS * 2 ** Math.max(0, input.attempts - 1);
  const next = new Date(input.now.getTime() + delay);
  return next.getTime() - input.queuedAt.getTime() > RETRY_WINDOW_MS ? null : next;
}
