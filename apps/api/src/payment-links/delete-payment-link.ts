import { selectRows } from '@paylinks/db';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { insertEventsSql, linkSnapshotSql } from '../events/event-snapshots.js';

/**
 * Deletes a link and writes its `link.deleted` event in one statement. False when the link was
 * already deleted (or is not this workspace's): the first deletion time stays, no second event.
 */
export async function deletePaymentLink(ctx: AppContext, workspaceId: string, id: string): Promise<boolean> {
  const at = sql`${ctx.clock.now().toISOString()}::timestamptz`;
  const rows = await selectRows<{ id: string }>(
    ctx.db,
    sql`with deleted as (
        -- A deletion is a change an incremental sync must see: updated_at moves past its last value.
        update payment_links set deleted_at = ${at},
          updated_at = greatest(${at}, updated_at + interval '1 millisecond')
        where workspace_id = ${workspaceId}::uuid and id = ${id}::uuid and deleted_at is null
        returning *
      ),
      ${insertEventsSql('deleted_event', at, [
        {
          type: 'link.deleted',
          workspaceId: sql`deleted.workspace_id`,
          paymentId: sql`null`,
          linkId: sql`deleted.id`,
          payload: sql`jsonb_build_object('link', ${linkSnapshotSql('deleted')})`,
          from: sql`deleted`,
        },
      ])}
      select id::text from deleted`,
  );
  return rows.length > 0;
}
