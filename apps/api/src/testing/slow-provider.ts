import type { AnyPaymentProvider } from '../payment-methods/provider-registry.js';

export type ProviderCall = 'startCheckout' | 'fetchStatus' | 'refund';

/** A provider plus what tests need to watch it: how often each call was made, and when one starts. */
export type SlowProvider = AnyPaymentProvider & {
  calls: Record<ProviderCall, number>;
  /** Resolves when the next call (of any kind) has started and is waiting on the provider. */
  nextCall(): Promise<ProviderCall>;
  /** Milliseconds every call waits before the wrapped provider answers; tests may change it. */
  delayMs: number;
};

/**
 * The same provider, but every checkout, status fetch and refund takes `delayMs` before it answers,
 * like a real provider on a bad day. Tests use it to prove nothing waits on the provider while
 * holding the database.
 */
export function slowProvider(inner: AnyPaymentProvider, delayMs: number): SlowProvider {
  let waiters: ((call: ProviderCall) => void)[] = [];
  const slow: SlowProvider = {
    ...inner,
    calls: { startCheckout: 0, fetchStatus: 0, refund: 0 },
    delayMs,
    nextCall: () => new Promise((resolve) => waiters.push(resolve)),
    startCheckout: (input) => delayed('startCheckout', () => inner.startCheckout(input)),
  };
  async function delayed<T>(call: ProviderCall, answer: () => Promise<T>): Promise<T> {
    slow.calls[call] += 1;
    const started = waiters;
    waiters = [];
    for (const resolve of started) resolve(call);
    await new Promise((resolve) => setTimeout(resolve, slow.delayMs));
    return answer();
  }
  const { fetchStatus, refund } = inner;
  if (fetchStatus) slow.fetchStatus = (input) => delayed('fetchStatus', () => fetchStatus(input));
  if (refund) slow.refund = (input) => delayed('refund', () => refund(input));
  return slow;
}

export interface TimedResponse {
  label: string;
  status: number;
  ms: number;
}

/**
 * Makes each request in turn and times it. Used while a slow provider call is in flight: on PGlite
 * (one connection) a transaction held across that call would make every one of these wait for it.
 */
export async function timeRequests(
  requests: Record<string, () => Response | Promise<Response>>,
): Promise<TimedResponse[]> {
  const timed: TimedResponse[] = [];
  for (const [label, request] of Object.entries(requests)) {
    const started = performance.now();
    const response = await request();
    await response.arrayBuffer();
    timed.push({ label, status: response.status, ms: Math.round(performance.now() - started) });
  }
  return timed;
}
