import { randomBytes, randomUUID } from 'node:crypto';
import { type Database, selectRows } from '@paylinks/db';
import { createSandboxReference } from '@paylinks/plugin-sandbox';
import { sql } from 'drizzle-orm';
import type { BenchWorkspace } from './workspace-setup';

export interface SeedSizes {
  /** Links whose page is opened (click-through and the rendered page); 30 recorded visits a minute each. */
  clickLinks: number;
  /** Payments in Processing, each on its own link, for one checkout each. */
  checkouts: number;
  /** Deal links with a Processing payment that has a sandbox reference, for one webhook each. */
  webhooks: number;
  /** The Payments section's history: one workspace with this many payments. */
  sectionPayments: number;
}

export interface Fixtures {
  clickTokens: string[];
  checkouts: { token: string; paymentId: string }[];
  /** A link of the workspace, for the baseline's rows to point at like the product's do. */
  checkoutLinkId: string;
  webhooks: { paymentId: string; reference: string }[];
  /** Where the Payments section's history starts (the newest payment), to the second. */
  sectionNewest: Date;
  /** Seconds between two history payments, newest first. */
  sectionStepSeconds: number;
}

export const AMOUNT_MINOR = 123456n;
export const CURRENCY = 'EUR';
export const DESCRIPTION = 'Spring course deposit';

const token = () => randomBytes(24).toString('base64url');
const list = (values: readonly string[]) => values.join(',');

/**
 * Writes the scenarios' fixtures straight into the database, a statement per kind, so a run spends
 * seconds on them: links, Processing payments with their creation events, deals, and the Payments
 * section's history with generate_series. Run while no server holds the database.
 */
export async function seed(
  database: Database,
  ws: BenchWorkspace,
  sizes: SeedSizes,
  log: (line: string) => void = () => {},
): Promise<Fixtures> {
  const { db } = database;
  let lap = performance.now();
  const step = (what: string) => {
    const now = performance.now();
    log(`  seeded ${what} in ${((now - lap) / 1000).toFixed(1)} s`);
    lap = now;
  };
  const [stages] = await selectRows<{ pipeline_id: string; first_stage: string }>(
    db,
    sql`insert into stage_automations (workspace_id, pipeline_id, status, target_stage_id)
        select s.workspace_id, s.pipeline_id, 'complete', s.id
        from pipeline_stages s join pipelines p on p.workspace_id = s.workspace_id and p.id = s.pipeline_id
        where p.workspace_id = ${ws.workspaceId} and p.is_default and s.name = 'Won'
        returning pipeline_id,
          (select id from pipeline_stages f where f.pipeline_id = stage_automations.pipeline_id
           order by f.position limit 1) as first_stage`,
  );
  if (!stages) throw new Error('the default pipeline has no "Won" stage');

  const clickTokens = Array.from({ length: sizes.clickLinks }, token);
  await db.execute(sql`
    insert into payment_links (workspace_id, token, origin, type, description, method_id, amount_minor,
      currency, validity_days, expires_at, contact_id, created_by)
    select ${ws.workspaceId}, t, 'contact', 'custom', ${DESCRIPTION}, ${ws.methodId}, ${AMOUNT_MINOR},
      ${CURRENCY}, 30, now() + interval '30 days', ${ws.contactId}, ${ws.userId}
    from unnest(string_to_array(${list(clickTokens)}, ',')) as t`);

  step(`${sizes.clickLinks} links`);

  const checkouts = Array.from({ length: sizes.checkouts }, () => ({
    token: token(),
    linkId: randomUUID(),
    paymentId: randomUUID(),
  }));
  await db.execute(sql`
    with input as (
      select * from unnest(
        string_to_array(${list(checkouts.map((c) => c.linkId))}, ','),
        string_to_array(${list(checkouts.map((c) => c.paymentId))}, ','),
        string_to_array(${list(checkouts.map((c) => c.token))}, ',')) as x(link_id, payment_id, token)),
    links as (
      insert into payment_links (id, workspace_id, token, origin, type, description, method_id, amount_minor,
        currency, validity_days, expires_at, contact_id, created_by)
      select link_id::uuid, ${ws.workspaceId}, token, 'contact', 'custom', ${DESCRIPTION}, ${ws.methodId},
        ${AMOUNT_MINOR}, ${CURRENCY}, 30, now() + interval '30 days', ${ws.contactId}, ${ws.userId}
      from input),
    created as (
      insert into payments (id, workspace_id, link_id, contact_id, method_id, status, amount_minor, currency,
        description, clicked_at, click_visitor_key, click_user_agent)
      select payment_id::uuid, ${ws.workspaceId}, link_id::uuid, ${ws.contactId}, ${ws.methodId}, 'processing',
        ${AMOUNT_MINOR}, ${CURRENCY}, ${DESCRIPTION}, now(), md5(payment_id), 'Mozilla/5.0 (bench)'
      from input)
    insert into payment_events (workspace_id, payment_id, to_status, source, payload)
    select ${ws.workspaceId}, payment_id::uuid, 'processing', 'click_through', '{"outcome":"created","seq":0}'
    from input`);

  step(`${sizes.checkouts} links with a payment to check out`);

  const webhooks = Array.from({ length: sizes.webhooks }, () => ({
    dealId: randomUUID(),
    linkId: randomUUID(),
    paymentId: randomUUID(),
    token: token(),
    reference: createSandboxReference(ws.webhookSecret),
  }));
  const column = (pick: (w: (typeof webhooks)[number]) => string) => list(webhooks.map(pick));
  await db.execute(sql`
    with input as (
      select * from unnest(
        string_to_array(${column((w) => w.dealId)}, ','),
        string_to_array(${column((w) => w.linkId)}, ','),
        string_to_array(${column((w) => w.paymentId)}, ','),
        string_to_array(${column((w) => w.token)}, ','),
        string_to_array(${column((w) => w.reference)}, ',')) as x(deal_id, link_id, payment_id, token, reference)),
    new_deals as (
      insert into deals (id, workspace_id, title, contact_id, pipeline_id, stage_id, amount_minor, currency)
      select deal_id::uuid, ${ws.workspaceId}, 'Bench deal', ${ws.contactId}, ${stages.pipeline_id},
        ${stages.first_stage}, ${AMOUNT_MINOR}, ${CURRENCY}
      from input),
    links as (
      insert into payment_links (id, workspace_id, token, origin, type, description, method_id, amount_minor,
        currency, validity_days, expires_at, contact_id, deal_id, created_by)
      select link_id::uuid, ${ws.workspaceId}, token, 'deal', 'custom', ${DESCRIPTION}, ${ws.methodId},
        ${AMOUNT_MINOR}, ${CURRENCY}, 30, now() + interval '30 days', ${ws.contactId}, deal_id::uuid, ${ws.userId}
      from input),
    created as (
      insert into payments (id, workspace_id, link_id, contact_id, deal_id, method_id, status, amount_minor,
        currency, description, provider_reference, idempotency_key, clicked_at)
      select payment_id::uuid, ${ws.workspaceId}, link_id::uuid, ${ws.contactId}, deal_id::uuid, ${ws.methodId},
        'processing', ${AMOUNT_MINOR}, ${CURRENCY}, ${DESCRIPTION}, reference, payment_id, now()
      from input)
    insert into payment_events (workspace_id, payment_id, to_status, source, payload)
    select ${ws.workspaceId}, payment_id::uuid, 'processing', 'click_through', '{"outcome":"created","seq":0}'
    from input`);

  step(`${sizes.webhooks} deals, deal links and payments awaiting a webhook`);

  const sectionNewest = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
  const sectionStepSeconds = 30;
  await seedSectionHistory(database, ws, sizes.sectionPayments, sectionNewest, sectionStepSeconds, log);
  step(`the Payments section's ${sizes.sectionPayments} payments`);
  await db.execute(sql`create table bench_payments (like payments including all)`);
  await db.execute(sql`analyze`);
  step('the baseline table and statistics');
  return {
    clickTokens,
    checkouts: checkouts.map(({ token, paymentId }) => ({ token, paymentId })),
    checkoutLinkId: checkouts[0]!.linkId,
    webhooks: webhooks.map(({ paymentId, reference }) => ({ paymentId, reference })),
    sectionNewest,
    sectionStepSeconds,
  };
}

const HISTORY_CONTACTS = 1000;

/**
 * A year of payments in one INSERT … SELECT: a thousand contacts with a link each, every status,
 * amounts and descriptions that vary. The foreign keys are checked once per row otherwise, which is
 * most of the time on PGlite; where the role may (a superuser: PGlite, the throwaway cluster) the
 * insert skips them, since every row points at rows made just before. Ids start with a counter (the
 * rest random), so the primary key grows at its end instead of splitting pages all over.
 */
async function seedSectionHistory(
  database: Database,
  ws: BenchWorkspace,
  count: number,
  newest: Date,
  stepSeconds: number,
  log: (line: string) => void,
) {
  const { db } = database;
  await db.execute(sql`
    with new_contacts as (
      insert into contacts (workspace_id, name, email)
      select ${ws.workspaceId}, 'Customer ' || g, 'customer' || g || '@example.com'
      from generate_series(1, ${HISTORY_CONTACTS}) g
      returning id)
    insert into payment_links (workspace_id, token, origin, type, description, method_id, amount_minor,
      currency, validity_days, expires_at, contact_id, created_by, created_at)
    select ${ws.workspaceId}, md5('history' || id::text), 'contact', 'custom', 'History link', ${ws.methodId},
      ${AMOUNT_MINOR}, ${CURRENCY}, null, null, id, ${ws.userId}, ${newest.toISOString()}::timestamptz - interval '400 days'
    from new_contacts`);
  const insertHistory = sql`
    with history_links as (
      select id, contact_id, row_number() over (order by id) - 1 as n
      from payment_links where workspace_id = ${ws.workspaceId} and description = 'History link')
    insert into payments (id, workspace_id, link_id, contact_id, method_id, status, amount_minor, currency,
      description, created_at, updated_at, status_changed_at, clicked_at)
    select overlay(gen_random_uuid()::text placing lpad(to_hex(g), 8, '0') from 1 for 8)::uuid,
      ${ws.workspaceId}, l.id, l.contact_id, ${ws.methodId},
      (array['complete','complete','complete','complete','processing','processing','cancelled','returned',
        'confirmed_by_team_member','complete'])[1 + g % 10]::payment_status,
      1000 + (g::bigint * 7919) % 500000, ${CURRENCY}, 'Course ' || (g % 500) || ' deposit', at, at, at, at
    from generate_series(0, ${count - 1}) g
    cross join lateral (select ${newest.toISOString()}::timestamptz - g * ${`${stepSeconds} seconds`}::interval as at) t
    join history_links l on l.n = g % ${HISTORY_CONTACTS}`;
  // Building the secondary indexes once after the insert is faster than updating them row by row.
  const indexes = await selectRows<{ name: string; definition: string }>(
    db,
    sql`select indexname as name, indexdef as definition from pg_indexes
        where schemaname = current_schema() and tablename = 'payments'
          and indexname not in (select conname from pg_constraint)`,
  );
  for (const index of indexes) await db.execute(sql.raw(`drop index "${index.name}"`));
  const started = performance.now();
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(insertHistory);
    });
  } catch (error) {
    if (!/permission denied|must be superuser/i.test(String((error as Error).cause ?? error))) throw error;
    await db.execute(insertHistory);
  } finally {
    log(`  (history rows in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    await db.transaction(async (tx) => {
      // Sorting in memory rather than in temporary files; `local`: this transaction's setting only.
      await tx.execute(sql`set local maintenance_work_mem = '256MB'`);
      for (const index of indexes) await tx.execute(sql.raw(index.definition));
    });
  }
}
