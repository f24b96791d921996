import { and, desc, eq } from 'drizzle-orm';
import type { EduExecutor } from './edu-context.js';
import { eduCourses } from './edu-schema.js';

export async function listCourses(db: EduExecutor, workspaceId: string) {
  return db
    .select()
    .from(eduCourses)
    .where(eq(eduCourses.workspaceId, workspaceId))
    .orderBy(desc(eduCourses.createdAt), desc(eduCourses.id));
}

export async function findCourse(db: EduExecutor, workspaceId: string, id: string) {
  const [course] = await db
    .select()
    .from(eduCourses)
    .where(and(eq(eduCourses.workspaceId, workspaceId), eq(eduCourses.id, id)))
    .limit(1);
  return course;
}

/** Options a link form may offer: paid and published. */
export function isPayable(course: { isFree: boolean; isPublished: boolean }): boolean {
  return !course.isFree && course.isPublished;
}
