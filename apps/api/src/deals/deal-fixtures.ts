import { randomBytes } from 'node:crypto';
import { contacts, paymentLinks, paymentMethods, payments } from '@paylinks/db';
import { eq } from 'drizzle-orm';
import type { TestApp, TestMember } from '../testing/test-app.js';

// Test-only rows written straight into the database, so these tests do not depend on the
// contacts and payment-link routes being built.

export async function insertContact(
  app: TestApp,
  member: TestMember,
  name = 'Ada Lovelace',
): Promise<string> {
  const [row] = await app.database.db
    .insert(contacts)
    .values({ workspaceId: member.workspaceId, name, email: 'ada@example.com' })
    .returning({ id: contacts.id });
  return row!.id;
}

/** A deal-origin payment link on the deal, optionally with one Processing payment. */
export async function insertDealPayment(
  app: TestApp,
  member: TestMember,
  deal: { id: string; contactId: string },
  options: { withPayment: boolean },
): Promise<void> {
  const { db } = app.database;
  const [method] = await db
    .select({ id: paymentMethods.id })
    .from(paymentMethods)
    .where(eq(paymentMethods.workspaceId, member.workspaceId))
    .limit(1);
  const base = {
    workspaceId: member.workspaceId,
    methodId: method!.id,
    contactId: deal.contactId,
    dealId: deal.id,
    amountMinor: 1000n,
    currency: 'EUR',
    description: 'Deposit',
  };
  const [link] = await db
    .insert(paymentLinks)
    .values({
      ...base,
      token: randomBytes(16).toString('base64url'),
      origin: 'deal',
      createdBy: member.userId,
    })
    .returning({ id: paymentLinks.id });
  if (options.withPayment) await db.insert(payments).values({ ...base, linkId: link!.id });
}

/** The workspace's pipelines as the API lists them (sign-up makes the first one). */
// biome-ignore lint/suspicious/noExplicitAny: a JSON body in tests, read like `const body: any = await response.json()`.
export async function pipelinesOf(app: TestApp, member: TestMember): Promise<any[]> {
  const body = (await (await app.call(member, 'GET', '/api/pipelines')).json()) as { pipelines: unknown[] };
  if (body.pipelines.length === 0) throw new Error('the workspace has no pipeline');
  return body.pipelines;
}
