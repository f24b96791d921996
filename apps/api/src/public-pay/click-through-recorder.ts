import { createHmac, randomBytes } from 'node:crypto';
import { type ClickThroughDecision, decideClickThrough } from '@paylinks/core';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppContext } from '../app-context.js';
import { recordWithinCap } from './click-through-cap.js';
import type { LastVisit, PublicLink } from './public-link.js';

export const VISITOR_COOKIE = 'paylinks_visitor';
const VISITOR_ID = /^[A-Za-z0-9_-]{22}$/;
// A year: the cookie only tells a refresh from a new visit; it carries nothing else.
const VISITOR_COOKIE_MAX_AGE = 365 * 24 * 60 * 60;
// Longer than any UA a browser sends; keeps a hostile header from bloating the row.
const MAX_STORED_USER_AGENT = 512;

/** The visitor id from the cookie, or a new random 128-bit one set as an httpOnly cookie. */
export function visitorId(c: Context, ctx: AppContext): { id: string; isNew: boolean } {
  const existing = getCookie(c, VISITOR_COOKIE);
  if (existing !== undefined && VISITOR_ID.test(existing)) return { id: existing, isNew: false };
  const id = randomBytes(16).toString('base64url');
  setCookie(c, VISITOR_COOKIE, id, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: ctx.publicUrl.startsWith('https:'),
    path: '/',
    maxAge: VISITOR_COOKIE_MAX_AGE,
  });
  return { id, isNew: true };
}

/** Stored instead of the cookie, so a database reader cannot replay a payer's cookie. */
export function visitorKey(secretKey: Buffer, id: string): string {
  return createHmac('sha256', secretKey).update(`paylinks-visitor:${id}`).digest('base64url');
}

export type ClickThroughOutcome = { decision: ClickThroughDecision; paymentId: string | null };

/**
 * The visitor key of a browser that already has our cookie and whose request may be a visit, so
 * the link's read can bring the visitor's last visit along. Bots, HEAD and prefetches: undefined.
 */
export function returningVisitorKey(c: Context, ctx: AppContext): string | undefined {
  if (!decideClickThrough(visitFacts(c, ctx.clock.now())).record) return undefined;
  const existing = getCookie(c, VISITOR_COOKIE);
  return existing !== undefined && VISITOR_ID.test(existing)
    ? visitorKey(ctx.secretKey, existing)
    : undefined;
}

/**
 * Decides by core's rule whether this request is someone opening the link and, if so, records the
 * payment it starts. A refresh by the same visitor answers the payment already recorded, also
 * after a decline: that payment takes another card itself (start-checkout.ts), so a refresh after
 * each declined card no longer adds a row. Beyond the link's per-minute cap the page is still
 * served but no payment is stored: the visitor resumes their own open payment if they have one,
 * else gets paymentId null and checkout records the payment when they submit their details. That
 * keeps the page payable for a real payer caught in a burst, while a script that only opens the
 * link stores nothing. `last` is the visitor's last visit, read with the link (returningVisitorKey).
 */
export async function recordClickThrough(
  c: Context,
  ctx: AppContext,
  link: PublicLink,
  lastVisitOfKnownVisitor: LastVisit | undefined,
): Promise<ClickThroughOutcome> {
  const now = ctx.clock.now();
  const facts = visitFacts(c, now);
  // Decide first without the visitor: bots, HEAD and prefetches get no cookie.
  const early = decideClickThrough(facts);
  if (!early.record) return { decision: early, paymentId: null };

  const visitor = visitorId(c, ctx);
  const key = visitorKey(ctx.secretKey, visitor.id);
  const last = visitor.isNew ? undefined : lastVisitOfKnownVisitor;
  const decision = decideClickThrough({
    ...facts,
    visitorId: visitor.id,
    lastVisitByThisVisitorAt: last?.clickedAt ?? undefined,
  });
  const resumable = last !== undefined && !abandonedAtProvider(last);
  // A refresh resumes the visitor's payment (a paid one then shows its result); one the payer
  // abandoned on the provider's page is followed by a new visit, so "Try again" can pay.
  if (!decision.record && (resumable || last === undefined)) return { decision, paymentId: last?.id ?? null };
  const paymentId = await recordWithinCap(ctx, link, {
    now,
    visitorKey: key,
    userAgent: storedUserAgent(facts.userAgent),
  });
  if (paymentId === null) return { decision, paymentId: resumable ? last.id : null };
  return { decision: { record: true }, paymentId };
}

/** Cancelled without a declined card on our page: the hosted checkout was cancelled or expired. */
function abandonedAtProvider(payment: { status: string; declinedAttempts: number }): boolean {
  return payment.status === 'cancelled' && payment.declinedAttempts === 0;
}

/** The visitor a checkout records its payment for, when their visit stored none. */
export function checkoutVisitor(
  c: Context,
  ctx: AppContext,
): { visitorKey: string; userAgent: string | null } {
  return {
    visitorKey: visitorKey(ctx.secretKey, visitorId(c, ctx).id),
    userAgent: storedUserAgent(c.req.header('user-agent')),
  };
}

const storedUserAgent = (userAgent: string | undefined) => userAgent?.slice(0, MAX_STORED_USER_AGENT) ?? null;

function visitFacts(c: Context, now: Date) {
  const header = (name: string) => c.req.header(name);
  return {
    method: c.req.method,
    userAgent: header('user-agent'),
    secPurpose: header('sec-purpose'),
    purpose: header('purpose'),
    xPurpose: header('x-purpose'),
    xMoz: header('x-moz'),
    secFetchDest: header('sec-fetch-dest'),
    now,
  };
}
