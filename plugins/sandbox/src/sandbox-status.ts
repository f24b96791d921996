import type { PaymentStatus } from '@paylinks/core';

/**
 * The sandbox's own checkout lifecycle, deliberately not core's: a real provider has its own words,
 * and the worked example should show the mapping a plugin author will have to write.
 */
export const sandboxStatuses = ['open', 'failed', 'paid', 'refunded', 'closed'] as const;

export type SandboxStatus = (typeof sandboxStatuses)[number];

export function toPaymentStatus(status: SandboxStatus): PaymentStatus {
  switch (status) {
    case 'open':
      return 'processing';
    // The last card attempt was declined. The checkout stays usable, and core allows
    // cancelled → complete for a payer who retries and succeeds.
    case 'failed':
      return 'cancelled';
    case 'paid':
      return 'complete';
    // Closed by the app (another payment paid the deal link): nobody can pay through it any more.
    case 'closed':
      return 'cancelled';
    case 'refunded':
      return 'returned';
    default:
      return unreachable(status);
  }
}

function unreachable(status: never): never {
  throw new Error(`Unhandled sandbox status ${String(status)}`);
}
