import {
  createMoney,
  daysLeft,
  isSuccessful,
  type LinkOrigin,
  linkState,
  paymentStatuses,
} from '@paylinks/core';
import {
  linkMails,
  type PaylinksDb,
  type PaylinksExecutor,
  paymentLinks,
  paymentMethods,
  payments,
} from '@paylinks/db';
import { and, desc, eq, exists, inArray, type SQL, sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { presentMetadata } from '../http/metadata-schema.js';
import { presentMoney } from '../http/money-schema.js';
import { toPage } from '../http/pagination.js';
import { type CheckoutPauseReason, pauseReasons } from '../public-pay/checkout-budget.js';
import { afterPosition, type ListWalk, syncKey, syncOrder, toSyncPage } from '../sync/sync-page.js';
import { type PaymentLinkView, reminderStatuses } from './payment-link-schemas.js';

const successfulStatuses = paymentStatuses.filter(isSuccessful);

/** Whether the link (of the row being selected) has a successful payment: what makes it "paid". */
export function linkHasSuccessfulPayment(db: PaylinksExecutor) {
  return sql<boolean>`${exists(
    db
      .select({ one: sql`1` })
      .from(payments)
      .where(
        and(
          eq(payments.workspaceId, paymentLinks.workspaceId),
          eq(payments.linkId, paymentLinks.id),
          inArray(payments.status, successfulStatuses),
        ),
      ),
  )}`;
}

function linkColumns(db: PaylinksExecutor) {
  return {
    id: paymentLinks.id,
    token: paymentLinks.token,
    origin: paymentLinks.origin,
    type: paymentLinks.type,
    description: paymentLinks.description,
    payerName: paymentLinks.payerName,
    payerEmail: paymentLinks.payerEmail,
    methodId: paymentLinks.methodId,
    methodName: paymentMethods.displayName,
    amountMinor: paymentLinks.amountMinor,
    currency: paymentLinks.currency,
    validityDays: paymentLinks.validityDays,
    expiresAt: paymentLinks.expiresAt,
    contactId: paymentLinks.contactId,
    dealId: paymentLinks.dealId,
    removedFromDealAt: paymentLinks.removedFromDealAt,
    createdAt: paymentLinks.createdAt,
    createdBy: paymentLinks.createdBy,
    deletedAt: paymentLinks.deletedAt,
    checkoutPausedAt: paymentLinks.checkoutPausedAt,
    checkoutPausedReason: paymentLinks.checkoutPausedReason,
    unrecordedClickThroughs: paymentLinks.unrecordedClickThroughs,
    updatedAt: paymentLinks.updatedAt,
    metadata: paymentLinks.metadata,
    reminderDays: linkMails.remindDaysBefore,
    reminderStatus: linkMails.status,
    reminderNextAt: linkMails.nextAttemptAt,
    reminderCancelledReason: linkMails.cancelledReason,
    syncKey: syncKey(paymentLinks),
    // "Paid" is a fact about the payments table, so it is read with the link rather than stored twice.
    hasSuccessfulPayment: linkHasSuccessfulPayment(db),
  };
}

type LinkRow = {
  id: string;
  token: string;
  origin: LinkOrigin;
  type: string;
  description: string;
  payerName: string | null;
  payerEmail: string | null;
  methodId: string;
  methodName: string;
  amountMinor: bigint;
  currency: string;
  validityDays: number | null;
  expiresAt: Date | null;
  contactId: string;
  dealId: string | null;
  removedFromDealAt: Date | null;
  createdAt: Date;
  createdBy: string;
  deletedAt: Date | null;
  checkoutPausedAt: Date | null;
  checkoutPausedReason: string | null;
  unrecordedClickThroughs: number;
  updatedAt: Date;
  metadata: unknown;
  reminderDays: number | null;
  reminderStatus: string | null;
  reminderNextAt: Date | null;
  reminderCancelledReason: string | null;
  hasSuccessfulPayment: boolean;
};

function selectLinks(db: PaylinksExecutor, where: SQL | undefined) {
  return (
    db
      .select(linkColumns(db))
      .from(paymentLinks)
      .innerJoin(
        paymentMethods,
        and(
          eq(paymentMethods.workspaceId, paymentLinks.workspaceId),
          eq(paymentMethods.id, paymentLinks.methodId),
        ),
      )
      // A link has one reminder at most (a unique index), so the join never repeats a link.
      .leftJoin(
        linkMails,
        and(
          eq(linkMails.workspaceId, paymentLinks.workspaceId),
          eq(linkMails.linkId, paymentLinks.id),
          eq(linkMails.kind, 'reminder'),
        ),
      )
      .where(where)
  );
}

export function presentLink(ctx: AppContext, row: LinkRow): PaymentLinkView {
  const now = ctx.clock.now();
  const amount = createMoney(row.amountMinor, row.currency);
  // The table's checks make this unreachable; a row that breaks them is a bug worth a 500.
  if (!amount.ok) throw new Error(`payment link ${row.id} holds an invalid amount`);
  const state = linkState(
    {
      origin: row.origin,
      deletedAt: row.deletedAt,
      expiresAt: row.expiresAt,
      hasSuccessfulPayment: Boolean(row.hasSuccessfulPayment),
    },
    now,
  );
  // The mail job cancels such a reminder on its next pass and never sends it; say so already.
  const reminderCanGo = state === 'active' && !row.hasSuccessfulPayment && row.expiresAt !== null;
  return {
    id: row.id,
    url: `${ctx.publicUrl}/pay/${row.token}`,
    origin: row.origin,
    type: row.type,
    description: row.description,
    payer: { name: row.payerName, email: row.payerEmail },
    method: { id: row.methodId, displayName: row.methodName },
    amount: presentMoney(amount.value),
    validityDays: row.validityDays,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    daysLeft: daysLeft(row.expiresAt, now),
    state,
    contactId: row.contactId,
    dealId: row.dealId,
    removedFromDealAt: row.removedFromDealAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
    deletedAt: row.deletedAt?.toISOString() ?? null,
    checkoutPaused: row.checkoutPausedAt
      ? { at: row.checkoutPausedAt.toISOString(), reason: pauseReason(row.checkoutPausedReason) }
      : null,
    unrecordedClickThroughs: row.unrecordedClickThroughs,
    reminder: presentReminder(row, reminderCanGo),
    updatedAt: row.updatedAt.toISOString(),
    metadata: presentMetadata(row.metadata),
  };
}

/** A switched-off reminder is no reminder; one the link's fate cancelled says so. */
function presentReminder(row: LinkRow, canGo: boolean): PaymentLinkView['reminder'] {
  if (row.reminderDays === null || row.reminderCancelledReason === 'switched_off') return null;
  const stored = reminderStatuses.find((known) => known === row.reminderStatus);
  // The table's check makes this unreachable; a row that breaks it is a bug worth a 500.
  if (!stored) throw new Error(`unknown reminder status ${String(row.reminderStatus)}`);
  const status = stored === 'scheduled' && !canGo ? 'cancelled' : stored;
  return {
    daysBefore: row.reminderDays,
    status,
    dueAt: status === 'scheduled' && row.reminderNextAt ? row.reminderNextAt.toISOString() : null,
  };
}

/** The stored reason, checked: only checkout-budget.ts writes it, so anything else is a bug. */
function pauseReason(stored: string | null): CheckoutPauseReason {
  const reason = pauseReasons.find((known) => known === stored);
  if (!reason) throw new Error(`unknown checkout pause reason ${String(stored)}`);
  return reason;
}

function buildFindLink(db: PaylinksDb) {
  return selectLinks(
    db,
    and(
      eq(paymentLinks.workspaceId, sql.placeholder('workspaceId')),
      eq(paymentLinks.id, sql.placeholder('linkId')),
    ),
  )
    .limit(1)
    .prepare('payment_link_by_id');
}

// Prepared once per database: every link created, read or changed through the API is answered with it.
const findLinkReads = new WeakMap<PaylinksDb, ReturnType<typeof buildFindLink>>();

export async function findLink(ctx: AppContext, workspaceId: string, linkId: string) {
  let read = findLinkReads.get(ctx.db);
  if (!read) {
    read = buildFindLink(ctx.db);
    findLinkReads.set(ctx.db, read);
  }
  const [row] = await read.execute({ workspaceId, linkId });
  return row ? presentLink(ctx, row) : undefined;
}

export async function listLinks(
  ctx: AppContext,
  workspaceId: string,
  filter: { contactId?: string; dealId?: string; walk: ListWalk; limit: number },
) {
  const { walk } = filter;
  const where = and(
    eq(paymentLinks.workspaceId, workspaceId),
    filter.contactId === undefined ? undefined : eq(paymentLinks.contactId, filter.contactId),
    filter.dealId === undefined ? undefined : eq(paymentLinks.dealId, filter.dealId),
  );
  if (walk.kind === 'sync') {
    const rows = await selectLinks(ctx.db, and(where, afterPosition(paymentLinks, walk.after)))
      .orderBy(...syncOrder(paymentLinks))
      .limit(filter.limit + 1);
    const page = toSyncPage(rows, filter.limit, walk.after);
    return { items: page.items.map((row) => presentLink(ctx, row)), nextCursor: page.nextCursor };
  }
  const cursor = walk.after;
  const rows = await selectLinks(
    ctx.db,
    and(
      where,
      cursor === undefined
        ? undefined
        : sql`(${paymentLinks.createdAt}, ${paymentLinks.id}) < (${cursor.createdAt.toISOString()}::timestamptz, ${cursor.id}::uuid)`,
    ),
  )
    .orderBy(desc(paymentLinks.createdAt), desc(paymentLinks.id))
    .limit(filter.limit + 1);
  const page = toPage(rows, filter.limit);
  return { items: page.items.map((row) => presentLink(ctx, row)), nextCursor: page.nextCursor };
}
