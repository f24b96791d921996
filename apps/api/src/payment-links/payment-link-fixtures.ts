import type { PaymentStatus } from '@paylinks/core';
import {
  contacts,
  deals,
  type PaylinksDb,
  paymentLinks,
  paymentMethods,
  payments,
  pipelineStages,
  pipelines,
} from '@paylinks/db';
import { and, asc, eq } from 'drizzle-orm';

// Contacts and deals are inserted directly: these tests are about links, not about those endpoints.

export async function insertContact(
  db: PaylinksDb,
  workspaceId: string,
  values: { name?: string; email?: string | null } = {},
) {
  const [row] = await db
    .insert(contacts)
    .values({
      workspaceId,
      name: values.name ?? 'Grace Payer',
      email: values.email === undefined ? 'grace@example.com' : values.email,
    })
    .returning();
  return row!;
}

export async function insertDeal(db: PaylinksDb, workspaceId: string, contactId: string) {
  const [pipeline] = await db
    .select()
    .from(pipelines)
    .where(and(eq(pipelines.workspaceId, workspaceId), eq(pipelines.isDefault, true)));
  const [stage] = await db
    .select()
    .from(pipelineStages)
    .where(and(eq(pipelineStages.workspaceId, workspaceId), eq(pipelineStages.pipelineId, pipeline!.id)))
    .orderBy(asc(pipelineStages.position))
    .limit(1);
  const [row] = await db
    .insert(deals)
    .values({
      workspaceId,
      title: 'Website redesign',
      contactId,
      pipelineId: pipeline!.id,
      stageId: stage!.id,
    })
    .returning();
  return row!;
}

/** The sandbox method every workspace gets at sign-up. */
export async function sandboxMethod(db: PaylinksDb, workspaceId: string) {
  const [row] = await db
    .select()
    .from(paymentMethods)
    .where(and(eq(paymentMethods.workspaceId, workspaceId), eq(paymentMethods.providerId, 'sandbox')));
  return row!;
}

export async function insertMethod(
  db: PaylinksDb,
  workspaceId: string,
  values: { providerId: string; displayName: string; enabled?: boolean },
) {
  const bytes = new Uint8Array([1, 2, 3]);
  const [row] = await db
    .insert(paymentMethods)
    .values({
      workspaceId,
      providerId: values.providerId,
      displayName: values.displayName,
      enabled: values.enabled ?? true,
      credentialsCiphertext: bytes,
      credentialsIv: bytes,
      credentialsAuthTag: bytes,
    })
    .returning();
  return row!;
}

/** A payment on a link, as the payment flow would record it. */
export async function insertPayment(db: PaylinksDb, linkId: string, status: PaymentStatus) {
  const [link] = await db.select().from(paymentLinks).where(eq(paymentLinks.id, linkId));
  await db.insert(payments).values({
    workspaceId: link!.workspaceId,
    linkId,
    contactId: link!.contactId,
    dealId: link!.dealId,
    methodId: link!.methodId,
    status,
    amountMinor: link!.amountMinor,
    currency: link!.currency,
    description: link!.description,
  });
}

export async function countLinks(db: PaylinksDb, workspaceId: string) {
  return (await db.select().from(paymentLinks).where(eq(paymentLinks.workspaceId, workspaceId))).length;
}
