import { describe, expect, it } from 'vitest';
import { eventIdOf, type FetchedPayment, toObservedPayment } from './mollie-payment-event.js';

const now = new Date('2026-12-01T12:00:00Z');
const paid = (over: Partial<FetchedPayment> = {}): FetchedPayment => ({
  id: 'tr_abc',
  status: 'paid',
  amount: { currency: 'EUR', value: '25.50' },
  amountRefunded: { currency: 'EUR', value: '0.00' },
  metadata: { paylinksPaymentId: 'pay_1' },
  createdAt: '2026-12-01T10:00:00Z',
  paidAt: '2026-12-01T10:05:00Z',
  ...over,
});

describe('a re-fetched Mollie payment and its refunds', () => {
  it('reports the total refunded, the dashboard’s included, and makes each total a new event', () => {
    const partly = paid({ amountRefunded: { currency: 'EUR', value: '10.00' } });
    const observed = toObservedPayment(partly, now);
    expect(observed).toMatchObject({
      ok: true,
      value: { event: { status: 'complete', refundedAmount: { minor: 1000n, currency: 'EUR' } } },
    });
    expect(eventIdOf('tr_abc', 'paid', paid())).toBe('tr_abc:paid');
    expect(eventIdOf('tr_abc', 'paid', partly)).toBe('tr_abc:paid:refunded:10.00');
  });

  it('names the refunds that settled, and a settlement is a new event even when no amount moves', () => {
    const refunds = [
      { id: 're_1', status: 'refunded' },
      { id: 're_2', status: 'failed' },
      { id: 're_3', status: 'canceled' },
      { id: 're_4', status: 'pending' },
      { id: 're_5', status: 'queued' },
    ];
    const observed = toObservedPayment(paid({ _embedded: { refunds } }), now);
    expect(observed.ok && observed.value.event.settledRefunds).toEqual([
      { status: 'succeeded', providerRefundReference: 're_1' },
      { status: 'failed', providerRefundReference: 're_2' },
      { status: 'failed', providerRefundReference: 're_3' },
    ]);
    const before = paid({ _embedded: { refunds: [{ id: 're_1', status: 'pending' }] } });
    const after = paid({ _embedded: { refunds: [{ id: 're_1', status: 'refunded' }] } });
    expect(eventIdOf('tr_abc', 'paid', before)).not.toBe(eventIdOf('tr_abc', 'paid', after));
  });
});
