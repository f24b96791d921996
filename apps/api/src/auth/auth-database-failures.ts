import { AsyncLocalStorage } from 'node:async_hooks';
import { isDatabaseUnavailable } from '@paylinks/db';

/**
 * better-auth swallows database errors into answers about the caller: verifyApiKey reports "invalid
 * API key", sign-in "invalid email or password", getSession a bare 500. During an outage that tells a
 * client to throw away a good key. Its adapter is wrapped so every failure is noted in the watch of
 * the call that caused it, and the caller can answer with what really happened.
 */
interface Watch {
  failures: unknown[];
}

const watches = new AsyncLocalStorage<Watch>();

type AnyFunction = (...args: unknown[]) => unknown;

/** The adapter better-auth is given, with each of its calls noting a failure before passing it on. */
export function noteDatabaseFailures<Adapter extends object>(adapter: Adapter): Adapter {
  const noted: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(adapter)) {
    if (typeof member !== 'function') {
      noted[name] = member;
    } else if (name === 'transaction') {
      // The adapter handed to the callback is a second one, bound to the transaction.
      noted[name] = (callback: (trx: object) => unknown) =>
        note(() =>
          (member as AnyFunction).call(adapter, (trx: object) => callback(noteDatabaseFailures(trx))),
        );
    } else {
      noted[name] = (...args: unknown[]) => note(() => (member as AnyFunction).apply(adapter, args));
    }
  }
  return noted as Adapter;
}

async function note(run: () => unknown): Promise<unknown> {
  try {
    return await run();
  } catch (error) {
    watches.getStore()?.failures.push(error);
    throw error;
  }
}

export interface Watched<T> {
  value: T;
  /** A failure better-auth met and did not pass on; an outage first, when there was one. */
  swallowed: unknown;
}

/**
 * Runs a better-auth call. When it fails or refuses (`refused`) after meeting an outage, the outage is
 * thrown instead, so the error handler says 503 with Retry-After rather than blaming the caller. A
 * success stands even if a side write failed on the way. Other failures it met are handed back for
 * the caller to judge.
 */
export async function watchAuthDatabase<T>(
  run: () => Promise<T>,
  refused: (value: T) => boolean,
): Promise<Watched<T>> {
  const watch: Watch = { failures: [] };
  let value: T;
  try {
    value = await watches.run(watch, run);
  } catch (error) {
    throw watch.failures.find(isDatabaseUnavailable) ?? error;
  }
  const outage = watch.failures.find(isDatabaseUnavailable);
  if (outage !== undefined && refused(value)) throw outage;
  return { value, swallowed: watch.failures[0] };
}
