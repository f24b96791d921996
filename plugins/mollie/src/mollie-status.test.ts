import { describe, expect, it } from 'vitest';
import { type ObservablePayment, observe, toPaymentStatus } from './mollie-status.js';

const eur = (value: string) => ({ currency: 'EUR', value });
const paid = (extra: Partial<ObservablePayment> = {}): ObservablePayment => ({
  status: 'paid',
  amount: eur('10.00'),
  ...extra,
});

describe('Mollie statuses', () => {
  it.each([
    ['open', 'processing'],
    ['pending', 'processing'],
    ['authorized', 'processing'],
    ['paid', 'complete'],
    ['failed', 'cancelled'],
    ['canceled', 'cancelled'],
    ['expired', 'cancelled'],
  ] as const)('%s becomes %s', (status, expected) => {
    const observation = observe({ status, amount: eur('10.00') });
    expect(observation && toPaymentStatus(observation)).toBe(expected);
  });

  it('sees a fully refunded payment, which stays paid at Mollie, as returned', () => {
    expect(observe(paid({ amountRefunded: eur('10.00') }))).toBe('paid_refunded');
    expect(toPaymentStatus('paid_refunded')).toBe('returned');
  });

  it('sees a charged-back payment as returned', () => {
    expect(observe(paid({ amountChargedBack: eur('10.00') }))).toBe('paid_charged_back');
    expect(toPaymentStatus('paid_charged_back')).toBe('returned');
  });

  it('keeps a partly refunded payment complete: core has no partly returned status', () => {
    expect(observe(paid({ amountRefunded: eur('4.00') }))).toBe('paid');
    expect(observe(paid({ amountRefunded: eur('0.00'), amountChargedBack: eur('0.00') }))).toBe('paid');
  });

  it('does not guess a status Mollie has added since', () => {
    expect(observe({ status: 'shipping', amount: eur('1.00') })).toBeUndefined();
  });
});
