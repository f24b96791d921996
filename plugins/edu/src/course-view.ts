import { type Money, parseLinkAmount, toDecimalString } from '@paylinks/core';
import type { eduCourses } from './edu-schema.js';

export type CourseRow = typeof eduCourses.$inferSelect;

export function priceOf(course: CourseRow): Money | null {
  return course.priceMinor === null || course.currency === null
    ? null
    : { minor: course.priceMinor, currency: course.currency };
}

export function presentMoney(money: Money): { amount: string; currency: string } {
  return { amount: toDecimalString(money), currency: money.currency };
}

export function presentCourse(course: CourseRow) {
  const price = priceOf(course);
  return {
    id: course.id,
    title: course.title,
    description: course.description,
    price: price === null ? null : presentMoney(price),
    free: course.isFree,
    published: course.isPublished,
    createdAt: course.createdAt.toISOString(),
  };
}

export type CoursePrice = { minor: bigint; currency: string } | null;

/** A paid course needs a price above zero; a free one has none. Returns the columns or the fault. */
export function coursePrice(
  free: boolean,
  price: { amount: string; currency: string } | null | undefined,
): { ok: true; price: CoursePrice } | { ok: false; field: string; code: string; message: string } {
  if (free) {
    if (price)
      return { ok: false, field: 'price', code: 'price_not_allowed', message: 'A free course has no price.' };
    return { ok: true, price: null };
  }
  if (!price)
    return { ok: false, field: 'price', code: 'price_required', message: 'A paid course needs a price.' };
  const parsed = parseLinkAmount(price.amount, price.currency);
  if (!parsed.ok) {
    const field = parsed.error.code === 'unknown_currency' ? 'price.currency' : 'price.amount';
    return { ok: false, field, code: parsed.error.code, message: parsed.error.message };
  }
  return { ok: true, price: parsed.value };
}
