import {
  isWellFormedLinkToken,
  type LinkOrigin,
  type LinkState,
  linkState,
  type PaymentStatus,
} from '@paylinks/core';
import { type PaylinksDb, paymentLinks, paymentMethods, payments } from '@paylinks/db';
import { and, desc, eq, sql } from 'drizzle-orm';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';
import { linkHasSuccessfulPayment } from '../payment-links/payment-link-reads.js';
import type { PaymentMethodRow } from '../payment-methods/method-lookup.js';
import { checkoutPaused } from './checkout-budget.js';
import { methodUnavailable } from './method-unavailable.js';
import { type PublicPayment, publicPaymentColumns } from './public-payment.js';

export interface PublicLink {
  id: string;
  workspaceId: string;
  token: string;
  origin: LinkOrigin;
  description: string;
  methodId: string;
  methodName: string;
  methodMode: 'test' | 'live';
  /** The team switched the method off: the link takes no payment until they switch it on again. */
  methodEnabled: boolean;
  providerId: string;
  amountMinor: bigint;
  currency: string;
  expiresAt: Date | null;
  contactId: string;
  dealId: string | null;
  state: LinkState;
  /** Set after too many failed attempts (card testing): no checkout until the team resumes it. */
  checkoutPausedAt: Date | null;
}

/** The visitor's latest click-through payment on the link, read with the link (click-through). */
export interface LastVisit {
  id: string;
  clickedAt: Date | null;
  status: PaymentStatus;
  declinedAttempts: number;
}

/** The link with what a public request needs beside it, read in one round trip. */
export interface PublicLinkRead {
  link: PublicLink;
  /** The whole method row (checkout opens its credentials), null-safe: a link always has one. */
  method: PaymentMethodRow;
  /** Only when asked for with `visitorKey`. */
  lastVisit: LastVisit | undefined;
  /** Only when asked for with `paymentId`, and only a payment of this link. */
  payment: PublicPayment | undefined;
}

const placeholder = (name: string) => sql.placeholder(name);

function buildLinkRead(db: PaylinksDb) {
  const lastVisit = db
    .select({
      id: sql<string>`${payments.id}`.as('last_visit_id'),
      clickedAt: sql<Date | null>`${payments.clickedAt}`
        .mapWith(payments.clickedAt)
        .as('last_visit_clicked_at'),
      status: sql<PaymentStatus>`${payments.status}`.as('last_visit_status'),
      declinedAttempts: sql<number>`${payments.declinedAttempts}`.as('last_visit_declined_attempts'),
    })
    .from(payments)
    .where(
      and(
        eq(payments.workspaceId, paymentLinks.workspaceId),
        eq(payments.linkId, paymentLinks.id),
        eq(payments.clickVisitorKey, placeholder('visitorKey')),
      ),
    )
    .orderBy(desc(payments.clickedAt))
    .limit(1)
    .as('last_visit');
  const payment = db
    .select(publicPaymentColumns)
    .from(payments)
    .where(
      and(
        eq(payments.workspaceId, paymentLinks.workspaceId),
        eq(payments.linkId, paymentLinks.id),
        eq(payments.id, placeholder('paymentId')),
      ),
    )
    .limit(1)
    .as('payment');
  return db
    .select({
      link: {
        id: paymentLinks.id,
        workspaceId: paymentLinks.workspaceId,
        token: paymentLinks.token,
        origin: paymentLinks.origin,
        description: paymentLinks.description,
        methodId: paymentLinks.methodId,
        amountMinor: paymentLinks.amountMinor,
        currency: paymentLinks.currency,
        expiresAt: paymentLinks.expiresAt,
        contactId: paymentLinks.contactId,
        dealId: paymentLinks.dealId,
        checkoutPausedAt: paymentLinks.checkoutPausedAt,
        deletedAt: paymentLinks.deletedAt,
        hasSuccessfulPayment: linkHasSuccessfulPayment(db),
      },
      method: paymentMethods,
      lastVisit: {
        id: lastVisit.id,
        clickedAt: lastVisit.clickedAt,
        status: lastVisit.status,
        declinedAttempts: lastVisit.declinedAttempts,
      },
      payment: {
        id: payment.id,
        workspaceId: payment.workspaceId,
        contactId: payment.contactId,
        dealId: payment.dealId,
        status: payment.status,
        amountMinor: payment.amountMinor,
        currency: payment.currency,
        description: payment.description,
        providerReference: payment.providerReference,
        declinedAttempts: payment.declinedAttempts,
      },
    })
    .from(paymentLinks)
    .innerJoin(
      paymentMethods,
      and(
        eq(paymentMethods.workspaceId, paymentLinks.workspaceId),
        eq(paymentMethods.id, paymentLinks.methodId),
      ),
    )
    .leftJoinLateral(lastVisit, sql`true`)
    .leftJoinLateral(payment, sql`true`)
    .where(eq(paymentLinks.token, placeholder('token')))
    .limit(1)
    .prepare('public_link_by_token');
}

// Prepared once per database: the hottest read of the public page skips query building.
const linkReads = new WeakMap<PaylinksDb, ReturnType<typeof buildLinkRead>>();

/**
 * The link behind a public token, from any workspace: the token is the bearer secret and is
 * globally unique. A malformed or unknown token is 404 (without a lookup when malformed). In the
 * same round trip: its method, the visitor's last visit and the payment the payer names.
 */
export async function readPublicLink(
  db: PaylinksDb,
  token: string,
  now: Date,
  also: { visitorKey?: string | undefined; paymentId?: string | null | undefined } = {},
): Promise<PublicLinkRead> {
  if (!isWellFormedLinkToken(token)) throw notFound('token', 'payment link');
  let read = linkReads.get(db);
  if (!read) {
    read = buildLinkRead(db);
    linkReads.set(db, read);
  }
  const [row] = await read.execute({
    token,
    visitorKey: also.visitorKey ?? null,
    paymentId: also.paymentId ?? null,
  });
  if (!row) throw notFound('token', 'payment link');
  const { deletedAt, hasSuccessfulPayment, ...columns } = row.link;
  const { method } = row;
  const state = linkState(
    {
      origin: columns.origin,
      deletedAt,
      expiresAt: columns.expiresAt,
      hasSuccessfulPayment: Boolean(hasSuccessfulPayment),
    },
    now,
  );
  const link: PublicLink = {
    ...columns,
    methodName: method.displayName,
    methodMode: method.mode,
    methodEnabled: method.enabled,
    providerId: method.providerId,
    state,
  };
  return {
    link,
    method,
    lastVisit: row.lastVisit?.id ? row.lastVisit : undefined,
    payment: row.payment ?? undefined,
  };
}

const gone: Record<Exclude<LinkState, 'active'>, { code: string; message: string }> = {
  expired: { code: 'link_expired', message: 'This payment link has expired. Ask the sender for a new one.' },
  deleted: { code: 'link_deleted', message: 'This payment link is no longer available.' },
  paid: { code: 'link_paid', message: 'This payment link has already been paid.' },
};

/**
 * Refuses a link that takes no payment now: 410 with the most useful reason when the link itself is
 * done (that holds whatever the method does), else 423 `checkout_paused` while the team has to look
 * at a burst of failed attempts, else 503 `method_unavailable` when its method is off.
 */
export function assertPayable(link: PublicLink): void {
  if (link.state !== 'active') throw new ProblemError(410, gone[link.state]);
  if (link.checkoutPausedAt !== null) throw checkoutPaused();
  if (!link.methodEnabled) throw methodUnavailable();
}
