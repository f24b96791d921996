import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
  check,
  foreignKey,
  index,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';

// The plugin owns these tables and their migrations (drizzle-kit, ./migrations). It cannot import
// @paylinks/db, so there are no foreign keys to core tables; every row carries workspace_id and
// every query filters on it.
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const eduCourses = pgTable(
  'edu_courses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    /** Minor units; null exactly when the course is free. */
    priceMinor: bigint('price_minor', { mode: 'bigint' }),
    currency: char('currency', { length: 3 }),
    isFree: boolean('is_free').notNull(),
    isPublished: boolean('is_published').notNull().default(false),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    unique('edu_courses_workspace_id_id_unique').on(t.workspaceId, t.id),
    check(
      'edu_courses_price_matches_free',
      sql`(${t.isFree} and ${t.priceMinor} is null and ${t.currency} is null) or (not ${t.isFree} and ${t.priceMinor} > 0 and ${t.currency} ~ '^[A-Z]{3}$')`,
    ),
    index('edu_courses_workspace_created_idx').on(t.workspaceId, t.createdAt),
  ],
);

export const eduEnrollments = pgTable(
  'edu_enrollments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id').notNull(),
    contactId: uuid('contact_id').notNull(),
    courseId: uuid('course_id').notNull(),
    paymentId: uuid('payment_id').notNull(),
    grantedAt: timestamptz('granted_at').notNull().defaultNow(),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [
    // One enrollment per payment: a duplicate success event enrolls no one twice.
    foreignKey({
      name: 'edu_enrollments_course_fk',
      columns: [t.workspaceId, t.courseId],
      foreignColumns: [eduCourses.workspaceId, eduCourses.id],
    }),
    unique('edu_enrollments_workspace_payment_unique').on(t.workspaceId, t.paymentId),
    index('edu_enrollments_workspace_contact_idx').on(t.workspaceId, t.contactId, t.grantedAt),
    index('edu_enrollments_workspace_course_idx').on(t.workspaceId, t.courseId),
  ],
);
