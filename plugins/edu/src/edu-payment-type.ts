import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { PaymentTypePlugin } from '@paylinks/core';
import type { Context } from 'hono';
import { findCourse, isPayable, listCourses } from './course-queries.js';
import { eduRoutes } from './course-routes.js';
import { priceOf } from './course-view.js';
import type { EduDb, EduHttp, EduTx } from './edu-context.js';
import { enrollOnSuccess, revokeOnReturn } from './enrollment-hooks.js';

export type EduPaymentType = PaymentTypePlugin<EduDb, EduTx, Context, EduHttp, OpenAPIHono>;

// Found through the package's own package.json, not relative to this file: apps/api bundles this
// code into its dist, where relative paths no longer lead here (as @paylinks/db does).
function migrationsFolder(): string {
  return join(
    dirname(createRequire(import.meta.url).resolve('@paylinks/plugin-edu/package.json')),
    'migrations',
  );
}

/** EDU payment: links sell a paid, published course; paying enrolls the contact, a refund revokes it. */
export function createEduPaymentType(): EduPaymentType {
  return {
    id: 'edu',
    label: 'EDU payment',
    optionField: 'courseId',
    migrations: { folder: migrationsFolder(), table: '__drizzle_migrations_edu' },
    routes: eduRoutes,
    async options(ctx, workspaceId) {
      const courses = await listCourses(ctx.db, workspaceId);
      return courses.filter(isPayable).flatMap((course) => {
        const amount = priceOf(course);
        return amount
          ? [{ id: course.id, label: course.title, amount, description: course.description }]
          : [];
      });
    },
    async resolveOption(ctx, workspaceId, optionId) {
      const course = await findCourse(ctx.db, workspaceId, optionId);
      if (!course) {
        return {
          ok: false,
          error: {
            code: 'course_not_found',
            field: 'courseId',
            message: 'No such course in this workspace.',
          },
        };
      }
      const amount = priceOf(course);
      if (!isPayable(course) || !amount) {
        return {
          ok: false,
          error: {
            code: 'course_not_payable',
            field: 'courseId',
            message: course.isFree
              ? 'A free course is not sold with a payment link.'
              : 'This course is a draft; publish it before selling it.',
          },
        };
      }
      return { ok: true, value: { amount, description: payerDescription(course) } };
    },
    onPaymentSucceeded: (tx, facts) => enrollOnSuccess(tx, facts, facts.at),
    onPaymentReturned: (tx, facts) => revokeOnReturn(tx, facts, facts.at),
  };
}

// The payer sees the link's description; a course without one is described by its title.
function payerDescription(course: { title: string; description: string }): string {
  return course.description || course.title;
}
