import { selectRows } from '@paylinks/db';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { rateLimitWindow } from '../http/rate-limit-store.js';
import { touchedAtSql } from '../sync/updated-at.js';
import { type ClickThrough, insertClickThroughSql } from './click-through-insert.js';
import type { PublicLink } from './public-link.js';

/**
 * Click-throughs stored as payments per link per minute. A link shared with a class or a mailing
 * list sees a few real visits a minute; a script sees hundreds, and each would bury the Payments
 * section under a Processing row.
 */
export const CLICK_THROUGHS_PER_LINK_PER_MINUTE = 30;
const MINUTE_MS = 60_000;

/**
 * Takes one of the link's click-through slots for this minute and, within the cap, stores the
 * visit's payment with its audit row; beyond it the visit is only counted on the link (the team
 * sees how many) and no payment is stored. One statement: the slot's upsert decides, in the same
 * round trip, which of the two writes happens. The link's count is one atomic increment without a
 * lock held past the statement: it is for the team's eyes and must not queue visits.
 * Returns the new payment's id, or null beyond the cap.
 */
export async function recordWithinCap(ctx: AppContext, link: PublicLink, click: ClickThrough) {
  const { start, end } = rateLimitWindow(MINUTE_MS, click.now);
  const withinCap = sql`(select hits from slot) <= ${CLICK_THROUGHS_PER_LINK_PER_MINUTE}`;
  const [row] = await selectRows<{ payment_id: string | null }>(
    ctx.db,
    sql`with slot as (
          insert into rate_limit_hits (bucket, window_start, hits, expires_at)
          values (${`click-through:link:${link.id}`}, ${start.toISOString()}::timestamptz, 1, ${end.toISOString()}::timestamptz)
          on conflict (bucket, window_start) do update set hits = rate_limit_hits.hits + 1
          returning hits
        ),
        ${insertClickThroughSql(link, click, withinCap)},
        uncounted as (
          update payment_links set unrecorded_click_throughs = unrecorded_click_throughs + 1,
            updated_at = ${touchedAtSql('updated_at', click.now)}
          where workspace_id = ${link.workspaceId}::uuid and id = ${link.id}::uuid and not ${withinCap}
        )
        select (select id::text from created) as payment_id`,
  );
  return row?.payment_id ?? null;
}
