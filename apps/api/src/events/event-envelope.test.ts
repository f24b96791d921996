import { describe, expect, it } from 'vitest';
import { eventEnvelopeSchema, eventEnvelopeSchemas, toEventEnvelope } from './event-envelope.js';

const ids = {
  payment: '0b9d2b8e-6a43-4f43-9a4e-0f4a4b1c2d01',
  link: '0b9d2b8e-6a43-4f43-9a4e-0f4a4b1c2d02',
  contact: '0b9d2b8e-6a43-4f43-9a4e-0f4a4b1c2d03',
  method: '0b9d2b8e-6a43-4f43-9a4e-0f4a4b1c2d04',
  event: '0b9d2b8e-6a43-4f43-9a4e-0f4a4b1c2d05',
};

// What PostgreSQL's jsonb_build_object writes: minor units, its own time format.
const storedPayment = {
  id: ids.payment,
  status: 'complete',
  amount: { minor: '1050', currency: 'JPY' },
  description: 'Course',
  linkId: ids.link,
  contactId: ids.contact,
  dealId: null,
  methodId: ids.method,
  late: false,
  duplicate: false,
  createdAt: '2026-12-01T20:15:00.123456+00:00',
  statusChangedAt: '2026-12-01T21:15:00+01:00',
};

describe('event envelope', () => {
  it('answers a stored row in the public shape: decimal money in the currency, ISO times', () => {
    const envelope = toEventEnvelope({
      id: ids.event,
      type: 'payment.status_changed',
      createdAt: new Date('2026-12-01T20:15:00Z'),
      payload: { payment: storedPayment, from: 'processing', to: 'complete' },
    });
    expect(envelope).toEqual({
      id: ids.event,
      type: 'payment.status_changed',
      createdAt: '2026-12-01T20:15:00.000Z',
      data: {
        payment: {
          ...storedPayment,
          amount: { amount: '1050', currency: 'JPY' },
          createdAt: '2026-12-01T20:15:00.123Z',
          statusChangedAt: '2026-12-01T20:15:00.000Z',
        },
        from: 'processing',
        to: 'complete',
      },
    });
    expect(eventEnvelopeSchema.safeParse(envelope).success).toBe(true);
    expect(eventEnvelopeSchemas['payment.status_changed'].safeParse(envelope).success).toBe(true);
  });

  it("refuses a payload that does not have its type's shape", () => {
    expect(() =>
      toEventEnvelope({
        id: ids.event,
        type: 'payment.flagged',
        createdAt: new Date(),
        payload: { payment: storedPayment },
      }),
    ).toThrow();
  });
});
