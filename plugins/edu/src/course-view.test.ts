import { describe, expect, it } from 'vitest';
import { coursePrice, presentCourse } from './course-view.js';
import { createEduPaymentType } from './edu-payment-type.js';

describe('course price', () => {
  it('a paid course needs a price above zero in a known currency', () => {
    expect(coursePrice(false, { amount: '120.00', currency: 'EUR' })).toEqual({
      ok: true,
      price: { minor: 12000n, currency: 'EUR' },
    });
    expect(coursePrice(false, { amount: '1000', currency: 'JPY' })).toEqual({
      ok: true,
      price: { minor: 1000n, currency: 'JPY' },
    });
    expect(coursePrice(false, undefined)).toMatchObject({
      ok: false,
      code: 'price_required',
      field: 'price',
    });
    expect(coursePrice(false, { amount: '0', currency: 'EUR' })).toMatchObject({
      ok: false,
      field: 'price.amount',
    });
    expect(coursePrice(false, { amount: '1.00', currency: 'XXQ' })).toMatchObject({
      ok: false,
      field: 'price.currency',
    });
  });

  it('a free course has none', () => {
    expect(coursePrice(true, undefined)).toEqual({ ok: true, price: null });
    expect(coursePrice(true, { amount: '1.00', currency: 'EUR' })).toMatchObject({
      ok: false,
      code: 'price_not_allowed',
    });
  });
});

describe('presenting a course', () => {
  it('shows the price as a decimal string in its currency, null when free', () => {
    const row = {
      id: '00000000-0000-4000-8000-000000000001',
      workspaceId: '00000000-0000-4000-8000-000000000002',
      title: 'KWD course',
      description: '',
      priceMinor: 1050n,
      currency: 'KWD',
      isFree: false,
      isPublished: true,
      createdAt: new Date('2026-01-01T00:00:00Z'),
      updatedAt: new Date('2026-01-01T00:00:00Z'),
    };
    expect(presentCourse(row).price).toEqual({ amount: '1.050', currency: 'KWD' });
    expect(presentCourse({ ...row, isFree: true, priceMinor: null, currency: null }).price).toBeNull();
  });
});

describe('the plugin object', () => {
  it('names its id, label, option field and migrations with their own table', () => {
    const edu = createEduPaymentType();
    expect(edu).toMatchObject({ id: 'edu', label: 'EDU payment', optionField: 'courseId' });
    expect(edu.migrations?.table).toBe('__drizzle_migrations_edu');
    expect(edu.migrations?.folder).toMatch(/plugins\/edu\/migrations$/);
  });
});
