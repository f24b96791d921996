import { randomUUID } from 'node:crypto';
import { type CurrencyCode, isSuccessful } from '@paylinks/core';
import {
  type PaylinksDb,
  paymentEvents,
  type paymentLinks,
  paymentMethods,
  payments,
  webhookReceipts,
} from '@paylinks/db';
import {
  createSandboxWebhookEvent,
  SANDBOX_SIGNATURE_HEADER,
  type SandboxCheckout,
  type SandboxCredentials,
  type SandboxStatus,
  signSandboxPayload,
} from '@paylinks/plugin-sandbox';
import { and, asc, eq } from 'drizzle-orm';
import { openMethodCredentials } from '../payment-methods/method-lookup.js';
import {
  insertContact,
  insertDeal,
  insertLink,
  insertPayment,
  type WorkspaceFixture,
} from '../payments/payments-fixtures.js';
import { type TestApp, testPublicUrl } from '../testing/test-app.js';

// Webhook tests drive the sandbox directly: a checkout for a payment row inserted here, and the
// sandbox's signed webhook delivered into the app (or built and signed here, to control timing).

/** testApp's key; the sandbox credentials are sealed with it at sign-up. */
const testSecretKey = Buffer.alloc(32, 1);
export const testCard = { cardNumber: '4242 4242 4242 4242', expiry: '12/30', cvc: '123' };

export async function methodCredentials(db: PaylinksDb, app: TestApp, methodId: string) {
  const [method] = await db.select().from(paymentMethods).where(eq(paymentMethods.id, methodId));
  const provider = app.sandbox.provider;
  return openMethodCredentials(testSecretKey, { method: method!, provider }) as SandboxCredentials;
}

export const webhookPath = (methodId: string) => `/api/webhooks/${methodId}`;

/** A Processing payment on a deal link, as click-through leaves it. */
export async function dealPayment(app: TestApp, w: WorkspaceFixture, id?: string) {
  const db = app.database.db;
  const contact = await insertContact(db, w);
  const deal = await insertDeal(db, w, contact.id);
  const link = await insertLink(db, w, { contactId: contact.id, dealId: deal.id });
  const payment = id ? await insertPaymentWithId(db, w, link, id) : await insertPayment(db, w, link);
  return { contact, deal, link, payment };
}

/** A Processing payment with a chosen id: the id a provider already knows before we store it. */
async function insertPaymentWithId(
  db: PaylinksDb,
  w: WorkspaceFixture,
  link: typeof paymentLinks.$inferSelect,
  id: string,
) {
  const [row] = await db
    .insert(payments)
    .values({
      id,
      workspaceId: w.workspaceId,
      linkId: link.id,
      contactId: link.contactId,
      dealId: link.dealId,
      methodId: link.methodId,
      amountMinor: link.amountMinor,
      currency: link.currency,
      description: link.description,
    })
    .returning();
  return row!;
}

/** Starts the sandbox checkout for a payment id (which may not exist yet), paid with 4242…. */
export async function startSandboxCheckout(
  app: TestApp,
  w: WorkspaceFixture,
  payment: { id: string; amountMinor: bigint; currency: string },
): Promise<SandboxCheckout> {
  const credentials = await methodCredentials(app.database.db, app, w.methodId);
  const result = await app.sandbox.provider.startCheckout({
    paymentId: payment.id,
    idempotencyKey: `checkout:${payment.id}`,
    amount: { minor: payment.amountMinor, currency: payment.currency as CurrencyCode },
    description: 'Course fee',
    payerEmail: 'payer@example.com',
    returnUrl: `${testPublicUrl}/pay/return`,
    webhookUrl: `${testPublicUrl}${webhookPath(w.methodId)}`,
    credentials,
    fields: testCard,
  });
  if (result.kind === 'failed') throw new Error(`checkout failed: ${result.error.message}`);
  return app.sandbox.ledger.byReference(result.providerReference)!;
}

/** A new sandbox event (new id) for a checkout, as the raw body the sandbox would send. */
export function sandboxEvent(checkout: SandboxCheckout, status: SandboxStatus, at: Date) {
  return createSandboxWebhookEvent(checkout, status, at, `evt_${randomUUID()}`);
}

/** POSTs a webhook body into the app, signed with `secret` at `signedAt` unless told otherwise. */
export function postWebhook(
  app: TestApp,
  methodId: string,
  body: string,
  sign: { secret: string; signedAt: Date } | { header: string } | null,
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (sign) {
    headers[SANDBOX_SIGNATURE_HEADER] =
      'header' in sign ? sign.header : signSandboxPayload({ ...sign, body });
  }
  return app.request(webhookPath(methodId), { method: 'POST', headers, body });
}

/** What a payment looks like from the outside: status, its audit trail and its receipts. */
export async function paymentState(db: PaylinksDb, paymentId: string, methodId: string) {
  const [payment] = await db.select().from(payments).where(eq(payments.id, paymentId));
  const events = await db
    .select()
    .from(paymentEvents)
    .where(eq(paymentEvents.paymentId, paymentId))
    .orderBy(asc(paymentEvents.createdAt));
  const transitions = events.filter((e) => e.fromStatus !== null && e.toStatus !== null);
  const stageMoves = transitions.filter(
    (e) => (e.payload as { effects?: { dealMovedToStageId?: string } }).effects?.dealMovedToStageId,
  );
  return {
    payment: payment!,
    events,
    transitions,
    stageMoves,
    successes: transitions.filter((e) => isSuccessful(e.toStatus!)),
    receipts: await receiptsOf(db, methodId),
  };
}

export function receiptsOf(db: PaylinksDb, methodId: string, providerEventId?: string) {
  return db
    .select()
    .from(webhookReceipts)
    .where(
      and(
        eq(webhookReceipts.methodId, methodId),
        ...(providerEventId ? [eq(webhookReceipts.providerEventId, providerEventId)] : []),
      ),
    );
}
