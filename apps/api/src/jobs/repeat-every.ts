import { errorFields, type Logger } from '../logger.js';

/**
 * Runs `run` every `intervalMs`, the next run starting that long after the last one ended, until the
 * returned stop() is called; stop() resolves once a run in progress has finished. A failed run is
 * logged as `failure` and the loop goes on.
 */
export function repeatEvery(
  options: { intervalMs: number; logger: Logger; failure: string },
  run: () => Promise<void>,
): () => Promise<void> {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    if (stopped) return;
    running = run()
      .catch((error: unknown) => options.logger.error(options.failure, errorFields(error)))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
  };
  timer = setTimeout(tick, options.intervalMs);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}
