import type { TestApp } from '../testing/test-app.js';

/**
 * Counts the app's calls to the sandbox's startCheckout: what reached the provider. The registry
 * holds this same object, so wrapping its function here wraps what the app calls.
 */
export function countProviderCheckouts(app: TestApp) {
  const provider = app.sandbox.provider;
  const original = provider.startCheckout.bind(provider);
  const counter = { calls: 0 };
  provider.startCheckout = (input) => {
    counter.calls += 1;
    return original(input);
  };
  return counter;
}

/** Moves the app's clock to the start of the next hour, so an hourly budget starts from zero. */
export function startOfNextHour(app: TestApp) {
  const hour = 3_600_000;
  const now = app.clock.now().getTime();
  app.clock.set(new Date(now - (now % hour) + hour));
}

export const declinedCard = { cardNumber: '4000 0000 0000 0002', expiry: '12/30', cvc: '123' };
