/**
 * A clock and timer queue that only move when a test says so, so the webhook sender's delays and
 * backoff (minutes in real life) run instantly and in a known order.
 */
export function createManualTimers(start: Date) {
  let current = start.getTime();
  let sequence = 0;
  const timers: { at: number; seq: number; callback: () => void }[] = [];

  // Lets pending promise chains (a delivery awaiting its response) run before time moves on.
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

  return {
    now: () => new Date(current),
    setTimer(callback: () => void, delayMs: number) {
      sequence += 1;
      timers.push({ at: current + delayMs, seq: sequence, callback });
    },
    /** Moves time forward, firing due timers in time order (ties in the order they were set). */
    async advance(ms: number) {
      const target = current + ms;
      await settle();
      for (;;) {
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = timers[0];
        if (!next || next.at > target) break;
        timers.shift();
        current = next.at;
        next.callback();
        await settle();
      }
      current = target;
    },
    pending: () => timers.length,
  };
}
