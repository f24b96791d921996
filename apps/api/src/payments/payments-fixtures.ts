import { generateLinkToken, type PaymentStatus } from '@paylinks/core';
import {
  contacts,
  deals,
  type PaylinksDb,
  paymentEvents,
  paymentLinks,
  paymentMethods,
  payments,
  pipelineStages,
  pipelines,
  stageAutomations,
} from '@paylinks/db';
import { and, asc, eq } from 'drizzle-orm';

// Test rows inserted directly: the contacts, deals and links endpoints are built elsewhere, and
// these tests are about payments.

export interface WorkspaceFixture {
  workspaceId: string;
  methodId: string;
  pipelineId: string;
  /** The default "Sales" stages by name. */
  stages: Record<string, string>;
}

export async function workspaceFixture(db: PaylinksDb, workspaceId: string): Promise<WorkspaceFixture> {
  const [method] = await db
    .select({ id: paymentMethods.id })
    .from(paymentMethods)
    .where(eq(paymentMethods.workspaceId, workspaceId));
  const [pipeline] = await db
    .select({ id: pipelines.id })
    .from(pipelines)
    .where(and(eq(pipelines.workspaceId, workspaceId), eq(pipelines.isDefault, true)));
  const stageRows = await db
    .select({ id: pipelineStages.id, name: pipelineStages.name })
    .from(pipelineStages)
    .where(eq(pipelineStages.pipelineId, pipeline!.id))
    .orderBy(asc(pipelineStages.position));
  return {
    workspaceId,
    methodId: method!.id,
    pipelineId: pipeline!.id,
    stages: Object.fromEntries(stageRows.map((s) => [s.name, s.id])),
  };
}

export async function insertContact(
  db: PaylinksDb,
  w: WorkspaceFixture,
  name = 'Ada Lovelace',
  email: string | null = null,
) {
  const [row] = await db.insert(contacts).values({ workspaceId: w.workspaceId, name, email }).returning();
  return row!;
}

export async function insertDeal(db: PaylinksDb, w: WorkspaceFixture, contactId: string, title = 'Course') {
  const [row] = await db
    .insert(deals)
    .values({
      workspaceId: w.workspaceId,
      title,
      contactId,
      pipelineId: w.pipelineId,
      stageId: w.stages.New!,
    })
    .returning();
  return row!;
}

export async function insertLink(
  db: PaylinksDb,
  w: WorkspaceFixture,
  values: {
    contactId: string;
    dealId?: string | null;
    amountMinor?: bigint;
    currency?: string;
    description?: string;
    payerName?: string;
    payerEmail?: string;
    expiresAt?: Date | null;
    deletedAt?: Date | null;
    createdAt?: Date;
    methodId?: string;
  },
) {
  const [row] = await db
    .insert(paymentLinks)
    .values({
      workspaceId: w.workspaceId,
      token: generateLinkToken(),
      origin: values.dealId ? 'deal' : 'contact',
      description: values.description ?? 'Course fee',
      payerName: values.payerName ?? null,
      payerEmail: values.payerEmail ?? null,
      methodId: values.methodId ?? w.methodId,
      amountMinor: values.amountMinor ?? 12_500n,
      currency: values.currency ?? 'EUR',
      contactId: values.contactId,
      dealId: values.dealId ?? null,
      expiresAt: values.expiresAt ?? null,
      deletedAt: values.deletedAt ?? null,
      createdBy: 'fixture',
      ...(values.createdAt ? { createdAt: values.createdAt } : {}),
    })
    .returning();
  return row!;
}

/** A payment as click-through makes it, with its creation event. */
export async function insertPayment(
  db: PaylinksDb,
  w: WorkspaceFixture,
  link: typeof paymentLinks.$inferSelect,
  values: {
    status?: PaymentStatus;
    createdAt?: Date;
    amountMinor?: bigint;
    currency?: string;
    description?: string;
  } = {},
) {
  const createdAt = values.createdAt ?? new Date('2026-11-20T10:00:00Z');
  const [row] = await db
    .insert(payments)
    .values({
      workspaceId: w.workspaceId,
      linkId: link.id,
      contactId: link.contactId,
      dealId: link.dealId,
      methodId: link.methodId,
      status: values.status ?? 'processing',
      amountMinor: values.amountMinor ?? link.amountMinor,
      currency: values.currency ?? link.currency,
      description: values.description ?? link.description,
      createdAt,
      updatedAt: createdAt,
      statusChangedAt: createdAt,
    })
    .returning();
  await db.insert(paymentEvents).values({
    workspaceId: w.workspaceId,
    paymentId: row!.id,
    fromStatus: null,
    toStatus: 'processing',
    source: 'click_through',
    payload: { outcome: 'created', seq: 0 },
    createdAt,
  });
  return row!;
}

export async function setAutomation(
  db: PaylinksDb,
  w: WorkspaceFixture,
  status: PaymentStatus,
  stageName: string,
) {
  await db.insert(stageAutomations).values({
    workspaceId: w.workspaceId,
    pipelineId: w.pipelineId,
    status,
    targetStageId: w.stages[stageName]!,
  });
}

/** A second connected method, for filtering by method. */
export async function insertMethod(
  db: PaylinksDb,
  w: WorkspaceFixture,
  displayName: string,
  values: { providerId?: string; enabled?: boolean } = {},
) {
  const [row] = await db
    .insert(paymentMethods)
    .values({
      workspaceId: w.workspaceId,
      providerId: values.providerId ?? 'stripe',
      displayName,
      enabled: values.enabled ?? true,
      credentialsCiphertext: new Uint8Array([1]),
      credentialsIv: new Uint8Array(12),
      credentialsAuthTag: new Uint8Array(16),
    })
    .returning();
  return row!;
}
