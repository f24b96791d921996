import { paymentLinkChanges } from '@paylinks/db';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import type { LinkChangeView } from './payment-link-schemas.js';

/** Enough for any human editing history; a script editing a link thousands of times sees the latest. */
export const HISTORY_LIMIT = 200;

/** A link's edits, newest first; one entry per changed field, in the order the fields are listed. */
export async function linkHistory(ctx: AppContext, workspaceId: string, linkId: string) {
  const rows = await ctx.db
    .select()
    .from(paymentLinkChanges)
    .where(and(eq(paymentLinkChanges.workspaceId, workspaceId), eq(paymentLinkChanges.linkId, linkId)))
    .orderBy(
      desc(paymentLinkChanges.changedAt),
      sql`array_position(array['description', 'validity', 'amount', 'reminder'], ${paymentLinkChanges.field})`,
    )
    .limit(HISTORY_LIMIT);
  return rows.map(presentChange);
}

function presentChange(row: typeof paymentLinkChanges.$inferSelect): LinkChangeView {
  // Only edit-payment-link.ts writes these rows, shaped by field; the table checks the field.
  return {
    id: row.id,
    field: row.field,
    from: row.fromValue,
    to: row.toValue,
    changedBy: row.changedBy,
    changedAt: row.changedAt.toISOString(),
  } as LinkChangeView;
}
