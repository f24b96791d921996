import { paymentStatuses } from '@paylinks/core';
import { describe, expect, it } from 'vitest';
import { sandboxStatuses, toPaymentStatus } from './sandbox-status.js';

describe('sandbox status mapping', () => {
  it.each([
    ['open', 'processing'],
    ['failed', 'cancelled'],
    ['paid', 'complete'],
    ['refunded', 'returned'],
  ] as const)('%s → %s', (sandbox, core) => {
    expect(toPaymentStatus(sandbox)).toBe(core);
  });

  it('covers every sandbox status with a core status', () => {
    for (const status of sandboxStatuses) expect(paymentStatuses).toContain(toPaymentStatus(status));
  });

  it('throws rather than guessing for a value outside the union', () => {
    expect(() => toPaymentStatus('disputed' as never)).toThrow(/Unhandled sandbox status disputed/);
  });
});
