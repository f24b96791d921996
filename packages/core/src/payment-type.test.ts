import { describe, expect, it } from 'vitest';
import type { PaymentTypeContext, PaymentTypeFacts, PaymentTypePlugin } from './payment-type.js';

type Enrollments = { granted: Set<string> };
type Ctx = PaymentTypeContext<void>;

const courses = [
  { id: 'ts-101', label: 'TypeScript 101', amount: { minor: 19900n, currency: 'EUR' }, description: 'TS' },
];

// The shape an EDU-like plugin takes: a catalogue, an option-to-amount rule and two hooks.
const createCourseType = (): PaymentTypePlugin<void, Enrollments> => ({
  id: 'course',
  label: 'Course',
  optionField: 'courseId',
  async options() {
    return courses;
  },
  async resolveOption(_ctx, _workspaceId, optionId) {
    const course = courses.find((c) => c.id === optionId);
    if (!course)
      return { ok: false, error: { code: 'course_not_found', field: 'courseId', message: 'No such course' } };
    return {
      ok: true,
      value: { amount: course.amount, description: course.label, typeData: { courseId: course.id } },
    };
  },
  async onPaymentSucceeded(tx, facts) {
    tx.granted.add(`${facts.contactId}:${(facts.typeData as { courseId: string }).courseId}`);
  },
  async onPaymentReturned(tx, facts) {
    tx.granted.delete(`${facts.contactId}:${(facts.typeData as { courseId: string }).courseId}`);
  },
});

const ctx: Ctx = {
  db: undefined,
  workspaceId: () => 'w1',
  http: undefined,
  contactExists: async () => true,
  optionInUse: async () => false,
};
const facts: PaymentTypeFacts = {
  workspaceId: 'w1',
  paymentId: 'p1',
  linkId: 'l1',
  contactId: 'c1',
  status: 'complete',
  at: new Date('2026-01-01T00:00:00Z'),
  typeData: { courseId: 'ts-101' },
};

describe('payment type contract', () => {
  const type = createCourseType();

  it('turns a chosen option into amount, description and type data, or a typed error', async () => {
    expect(await type.options(ctx, 'w1')).toHaveLength(1);
    expect(await type.resolveOption(ctx, 'w1', 'ts-101')).toEqual({
      ok: true,
      value: {
        amount: { minor: 19900n, currency: 'EUR' },
        description: 'TypeScript 101',
        typeData: { courseId: 'ts-101' },
      },
    });
    expect(await type.resolveOption(ctx, 'w1', 'gone')).toMatchObject({
      ok: false,
      error: { code: 'course_not_found', field: 'courseId' },
    });
  });

  it('runs its hooks with the transaction the app provides', async () => {
    const enrollments: Enrollments = { granted: new Set() };
    await type.onPaymentSucceeded?.(enrollments, facts);
    expect([...enrollments.granted]).toEqual(['c1:ts-101']);
    await type.onPaymentReturned?.(enrollments, { ...facts, status: 'returned' });
    expect(enrollments.granted.size).toBe(0);
  });
});
