import { createMoney, parseMoney } from '@paylinks/core';
import { contacts, deals, type PaylinksExecutor } from '@paylinks/db';
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import { domainProblem } from '../http/domain-problem.js';
import { presentMetadata } from '../http/metadata-schema.js';
import { presentMoney } from '../http/money-schema.js';
import { notFound } from '../http/not-found.js';
import type { Cursor } from '../http/pagination.js';
import { afterPosition, type ListWalk, syncKey, syncOrder } from '../sync/sync-page.js';
import type { DealView } from './deal-schemas.js';

const dealColumns = {
  id: deals.id,
  title: deals.title,
  contactId: deals.contactId,
  contactName: contacts.name,
  pipelineId: deals.pipelineId,
  stageId: deals.stageId,
  amountMinor: deals.amountMinor,
  currency: deals.currency,
  createdAt: deals.createdAt,
  updatedAt: deals.updatedAt,
  metadata: deals.metadata,
  externalId: deals.externalId,
  syncKey: syncKey(deals),
};

type DealRow = {
  id: string;
  title: string;
  contactId: string;
  contactName: string;
  pipelineId: string;
  stageId: string;
  amountMinor: bigint | null;
  currency: string | null;
  createdAt: Date;
  updatedAt: Date;
  metadata: unknown;
  externalId: string | null;
};

export function presentDeal(row: DealRow): DealView {
  let amount: DealView['amount'] = null;
  if (row.amountMinor !== null && row.currency !== null) {
    const money = createMoney(row.amountMinor, row.currency);
    // The table's checks admit only what createMoney accepts, so a failure here is a bug.
    if (!money.ok) throw new Error(`stored deal amount is invalid: ${money.error.code}`);
    amount = presentMoney(money.value);
  }
  return {
    id: row.id,
    title: row.title,
    contact: { id: row.contactId, name: row.contactName },
    pipelineId: row.pipelineId,
    stageId: row.stageId,
    amount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    metadata: presentMetadata(row.metadata),
    externalId: row.externalId,
  };
}

/**
 * Deals of one workspace matching `where`: newest first, keyset-paged after a cursor, or (a sync
 * walk, sync-page.ts) by (updated_at, id) after a position.
 */
export async function selectDeals(
  db: PaylinksExecutor,
  workspaceId: string,
  filters: (SQL | undefined)[],
  options: { limit: number; walk?: ListWalk },
): Promise<(DealRow & Cursor & { syncKey: string })[]> {
  const walk = options.walk ?? { kind: 'newest', after: undefined };
  const query = db
    .select(dealColumns)
    .from(deals)
    .innerJoin(contacts, and(eq(contacts.workspaceId, deals.workspaceId), eq(contacts.id, deals.contactId)));
  if (walk.kind === 'sync') {
    return query
      .where(and(eq(deals.workspaceId, workspaceId), ...filters, afterPosition(deals, walk.after)))
      .orderBy(...syncOrder(deals))
      .limit(options.limit);
  }
  const { after } = walk;
  return query
    .where(
      and(
        eq(deals.workspaceId, workspaceId),
        ...filters,
        after
          ? sql`(${deals.createdAt}, ${deals.id}) < (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(deals.createdAt), desc(deals.id))
    .limit(options.limit);
}

export async function findDeal(db: PaylinksExecutor, workspaceId: string, id: string): Promise<DealView> {
  const [row] = await selectDeals(db, workspaceId, [eq(deals.id, id)], { limit: 1 });
  if (!row) throw notFound('id', 'deal');
  return presentDeal(row);
}

export async function requireContact(db: PaylinksExecutor, workspaceId: string, contactId: string) {
  const [row] = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId)));
  if (!row) throw notFound('contactId', 'contact');
}

/** The two amount columns from the API's money input; null clears the value. */
export function amountColumns(input: { amount: string; currency: string } | null): {
  amountMinor: bigint | null;
  currency: string | null;
} {
  if (input === null) return { amountMinor: null, currency: null };
  const money = parseMoney(input.amount, input.currency);
  if (!money.ok) {
    const { field } = money.error;
    throw domainProblem({ ...money.error, field: field ? `amount.${field}` : 'amount' });
  }
  return { amountMinor: money.value.minor, currency: money.value.currency };
}
