import { describe, expect, it } from 'vitest';
import {
  completedFilterStatuses,
  isSuccessful,
  parsePaymentStatus,
  paymentStatuses,
  paymentStatusLabel,
} from './payment-status.js';

describe('payment statuses', () => {
  it('labels every status as the UI shows it', () => {
    expect(paymentStatuses.map(paymentStatusLabel)).toEqual([
      'Processing',
      'Complete',
      'Returned',
      'Cancelled',
      'Confirmed by team member',
    ]);
  });

  it('counts only complete and confirmed_by_team_member as successful', () => {
    expect(paymentStatuses.filter(isSuccessful)).toEqual(['complete', 'confirmed_by_team_member']);
  });

  it('filters "Completed" exactly by the successful statuses', () => {
    expect([...completedFilterStatuses].sort()).toEqual(paymentStatuses.filter(isSuccessful).sort());
  });

  it('parses known statuses and refuses anything else', () => {
    expect(parsePaymentStatus('returned')).toEqual({ ok: true, value: 'returned' });
    for (const bad of ['Complete', 'paid', '', null, 1]) {
      expect(parsePaymentStatus(bad)).toMatchObject({
        ok: false,
        error: { code: 'unknown_payment_status', field: 'status' },
      });
    }
  });
});
