import { describe, expect, it } from 'vitest';
import { domainError, err, ok } from './domain-error.js';
import type { PaymentType, PaymentTypeFactory, PaymentTypeHookEvent } from './payment-type.js';

type Enrollments = { granted: Set<string> };

const courses = [{ id: 'ts-101', label: 'TypeScript 101', amount: { minor: 19900n, currency: 'EUR' } }];

// The shape an EDU-like plugin takes: a catalogue, an option-to-amount rule and two hooks.
const createCourseType: PaymentTypeFactory<void, Enrollments> = () => ({
  id: 'course',
  label: 'Course',
  async options() {
    return courses;
  },
  async applyOption({ optionId }) {
    const course = courses.find((c) => c.id === optionId);
    if (!course) return err(domainError('unknown_payment_option', 'No such course', 'optionId'));
    return ok({ amount: course.amount, description: course.label });
  },
  async onCompleted(event, ctx) {
    ctx.granted.add(`${event.payerEmail}:${event.optionId}`);
  },
  async onReturned(event, ctx) {
    ctx.granted.delete(`${event.payerEmail}:${event.optionId}`);
  },
});

const ctx = { workspaceId: 'w1', locale: 'en' };
const hookEvent: PaymentTypeHookEvent = {
  workspaceId: 'w1',
  paymentId: 'p1',
  linkId: 'l1',
  optionId: 'ts-101',
  status: 'complete',
  amount: courses[0]!.amount,
  payerEmail: 'a@example.test',
};

describe('payment type contract', () => {
  const type: PaymentType<Enrollments> = createCourseType();

  it('turns a chosen option into amount and description, or a typed error', async () => {
    expect(await type.options(ctx)).toHaveLength(1);
    expect(await type.applyOption({ ...ctx, optionId: 'ts-101' })).toEqual({
      ok: true,
      value: { amount: { minor: 19900n, currency: 'EUR' }, description: 'TypeScript 101' },
    });
    expect(await type.applyOption({ ...ctx, optionId: 'gone' })).toMatchObject({
      ok: false,
      error: { code: 'unknown_payment_option', field: 'optionId' },
    });
  });

  it('runs its hooks with the context the app provides', async () => {
    const enrollments: Enrollments = { granted: new Set() };
    await type.onCompleted?.(hookEvent, enrollments);
    expect([...enrollments.granted]).toEqual(['a@example.test:ts-101']);
    await type.onReturned?.({ ...hookEvent, status: 'returned' }, enrollments);
    expect(enrollments.granted.size).toBe(0);
  });
});
