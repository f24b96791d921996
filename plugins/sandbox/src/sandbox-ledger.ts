import type { Money } from '@paylinks/core';
import type { CardSummary } from './sandbox-cards.js';
import type { SandboxStatus } from './sandbox-status.js';

export type SandboxRefund = {
  readonly reference: string;
  readonly idempotencyKey: string;
  readonly amount: Money;
};

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
  /** Oldest first; the checkout turns `refunded` when they add up to its amount. */
  readonly refunds?: readonly SandboxRefund[];
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

export type SandboxLedgerOptions = {
  /** Checkouts kept; past it the one changed longest ago is forgotten (default 10,000). */
  maxCheckouts?: number;
};

/**
 * Enough for every checkout a team trying things out touches in weeks, and a few megabytes at most:
 * a server taking sandbox payments for months must not keep each one forever.
 */
export const DEFAULT_MAX_SANDBOX_CHECKOUTS = 10_000;

export function createSandboxLedger(options: SandboxLedgerOptions = {}): SandboxLedger {
  const maxCheckouts = options.maxCheckouts ?? DEFAULT_MAX_SANDBOX_CHECKOUTS;
  if (!Number.isInteger(maxCheckouts) || maxCheckouts < 1) {
    throw new RangeError(`maxCheckouts must be a positive integer, not ${maxCheckouts}`);
  }
  // A Map iterates in insertion order, and save() re-inserts: the first entry is the one changed
  // longest ago. Forgetting it is what a restart does to every checkout anyway: its webhooks are
  // still accepted (the reference proves its origin), and a repeat of its key opens a new checkout.
  const byReference = new Map<string, SandboxCheckout>();
  const referenceByKey = new Map<string, string>();
  const forgetOldest = () => {
    const oldest = byReference.values().next().value;
    if (!oldest) return;
    byReference.delete(oldest.reference);
    referenceByKey.delete(oldest.idempotencyKey);
  };
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
      byReference.delete(checkout.reference);
      byReference.set(checkout.reference, checkout);
      referenceByKey.set(checkout.idempotencyKey, checkout.reference);
      while (byReference.size > maxCheckouts) forgetOldest();
    },
    list: () => [...byReference.values()],
  };
}
