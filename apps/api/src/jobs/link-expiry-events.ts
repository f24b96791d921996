import { selectRows } from '@paylinks/db';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { EVENT_RETENTION_MS } from '../events/event-retention.js';
import { eventWriteLockSql, linkSnapshotSql } from '../events/event-snapshots.js';
import { repeatEvery } from './repeat-every.js';

export const LINK_EXPIRY_INTERVAL_MS = 60_000;
const BATCH_SIZE = 500;

type Deps = Pick<AppContext, 'db' | 'clock' | 'logger'>;

/**
 * Writes one `link.expired` for each link whose validity has ended (core's rule: to the second) and
 * that is not deleted, in batches of one statement each. Once per expiry across any number of
 * instances: links another run is handling are skipped (SKIP LOCKED), and the outbox's unique index
 * on (link, expiry) makes a second insert a no-op. Only expiries within the events' retention are
 * looked at: an older one's event may already be swept, and announcing it again would be a lie.
 * Returns how many events it wrote.
 */
export async function writeLinkExpiryEvents(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  const at = sql`${now.toISOString()}::timestamptz`;
  const oldest = sql`${new Date(now.getTime() - EVENT_RETENTION_MS).toISOString()}::timestamptz`;
  const expiry = sql`to_char(l.expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  let written = 0;
  for (;;) {
    const [row] = await selectRows<{ written: number; seen: number }>(
      deps.db,
      sql`with due as (
          select l.* from payment_links l
          where l.deleted_at is null and l.expires_at > ${oldest}
            -- Expired to the second, as core's isExpired says, in a form the expiry index can serve.
            and l.expires_at < date_trunc('second', ${at}) + interval '1 second'
            and not exists (select 1 from events e where e.type = 'link.expired' and e.link_id = l.id
              and e.payload->>'expiresAt' = ${expiry})
          order by l.expires_at, l.id
          limit ${BATCH_SIZE}
          for no key update of l skip locked
        ),
        inserted as (
          insert into events (workspace_id, type, link_id, payload, created_at)
          select l.workspace_id, 'link.expired', l.id,
            jsonb_build_object('link', ${linkSnapshotSql('l')}, 'expiresAt', ${expiry}), ${at}
          -- Workspace order: two instances take the workspaces' event locks in the same order.
          from (select * from due order by workspace_id, expires_at, id) l
          cross join lateral (select ${eventWriteLockSql(sql`l.workspace_id`)}) as serialised
          order by l.workspace_id, l.expires_at, l.id
          on conflict (link_id, (payload->>'expiresAt')) where type = 'link.expired' do nothing
          returning id
        )
        select (select count(*) from inserted)::int as written, (select count(*) from due)::int as seen`,
    );
    written += row?.written ?? 0;
    if ((row?.seen ?? 0) < BATCH_SIZE) return written;
  }
}

/** Runs every `intervalMs` until the returned stop function is called (and awaited). */
export function startLinkExpiryEvents(deps: Deps, intervalMs = LINK_EXPIRY_INTERVAL_MS): () => Promise<void> {
  return repeatEvery({ intervalMs, logger: deps.logger, failure: 'link expiry events failed' }, async () => {
    await writeLinkExpiryEvents(deps);
  });
}
