import type { PaymentTypeFacts } from '@paylinks/core';
import { and, eq, isNull } from 'drizzle-orm';
import type { EduTx } from './edu-context.js';
import { eduCourses, eduEnrollments } from './edu-schema.js';

function courseIdOf(facts: PaymentTypeFacts): string | undefined {
  const courseId = facts.typeData.courseId;
  return typeof courseId === 'string' ? courseId : undefined;
}

/** Enrolls the payer's contact once per payment; a repeated success changes nothing. */
export async function enrollOnSuccess(tx: EduTx, facts: PaymentTypeFacts, now: Date): Promise<void> {
  const courseId = courseIdOf(facts);
  if (courseId === undefined) return;
  // The course may have been deleted since the link was made (impossible while a link names it,
  // but the link could be of an older data shape): then there is nothing to grant.
  const [course] = await tx
    .select({ id: eduCourses.id })
    .from(eduCourses)
    .where(and(eq(eduCourses.workspaceId, facts.workspaceId), eq(eduCourses.id, courseId)));
  if (!course) return;
  await tx
    .insert(eduEnrollments)
    .values({
      workspaceId: facts.workspaceId,
      contactId: facts.contactId,
      courseId,
      paymentId: facts.paymentId,
      grantedAt: now,
    })
    .onConflictDoNothing({ target: [eduEnrollments.workspaceId, eduEnrollments.paymentId] });
}

/** A refund takes the access the payment granted away (the row stays, with revoked_at). */
export async function revokeOnReturn(tx: EduTx, facts: PaymentTypeFacts, now: Date): Promise<void> {
  await tx
    .update(eduEnrollments)
    .set({ revokedAt: now })
    .where(
      and(
        eq(eduEnrollments.workspaceId, facts.workspaceId),
        eq(eduEnrollments.paymentId, facts.paymentId),
        isNull(eduEnrollments.revokedAt),
      ),
    );
}
