import type { Money } from '@paylinks/core';
import type { CardSummary } from './sandbox-cards.js';
import type { SandboxStatus } from './sandbox-status.js';

/** One simulated checkout: what a real provider would hold on its side. */
export type SandboxCheckout = {
  readonly reference: string;
  readonly idempotencyKey: string;
  readonly paymentId: string;
  readonly amount: Money;
  readonly description: string;
  readonly webhookUrl: string;
  readonly status: SandboxStatus;
  /** The card of the last attempt; never the number or the CVC. */
  readonly card?: CardSummary;
  readonly refund?: { readonly reference: string; readonly idempotencyKey: string };
  readonly createdAt: Date;
  readonly updatedAt: Date;
};

/**
 * In memory, and injected, so a test can share one between a provider and its assertions, and an
 * app can keep one per process. Deliberately not persistent: the sandbox is for trying things out.
 */
export type SandboxLedger = {
  byReference(reference: string): SandboxCheckout | undefined;
  byIdempotencyKey(idempotencyKey: string): SandboxCheckout | undefined;
  /** Adds a new checkout or replaces the one with the same reference. */
  save(checkout: SandboxCheckout): void;
  list(): readonly SandboxCheckout[];
};

export function createSandboxLedger(): SandboxLedger {
  const byReference = new Map<string, SandboxCheckout>();
  const referenceByKey = new Map<string, string>();
  return {
    byReference: (reference) => byReference.get(reference),
    byIdempotencyKey(idempotencyKey) {
      const reference = referenceByKey.get(idempotencyKey);
      return reference === undefined ? undefined : byReference.get(reference);
    },
    save(checkout) {
      const owner = referenceByKey.get(checkout.idempotencyKey);
      // Two checkouts under one key is exactly the double charge idempotency exists to prevent.
      if (owner !== undefined && owner !== checkout.reference) {
        throw new Error(`Idempotency key already belongs to checkout ${owner}`);
      }
      byReference.set(checkout.reference, checkout);
      referenceByKey.set(checkout.idempotencyKey, checkout.reference);
    },
    list: () => [...byReference.values()],
  };
}
