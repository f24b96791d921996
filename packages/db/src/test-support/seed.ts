import { randomBytes } from 'node:crypto';
import type { PaylinksDb } from '../database';
import {
  contacts,
  deals,
  paymentLinks,
  paymentMethods,
  pipelineStages,
  pipelines,
  workspaces,
} from '../schema/index';

// Rows every aggregate test needs, created through the schema so the tests exercise it too.

export const linkToken = () => randomBytes(24).toString('base64url');

export async function seedWorkspace(db: PaylinksDb, name = 'Acme') {
  const [workspace] = await db
    .insert(workspaces)
    .values({ name, slug: `${name.toLowerCase()}-${randomBytes(4).toString('hex')}` })
    .returning();
  const [contact] = await db
    .insert(contacts)
    .values({
      workspaceId: workspace!.id,
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: '+31612345678',
    })
    .returning();
  const [pipeline] = await db
    .insert(pipelines)
    .values({ workspaceId: workspace!.id, name: 'Sales', isDefault: true })
    .returning();
  const [lead, won] = await db
    .insert(pipelineStages)
    .values([
      { workspaceId: workspace!.id, pipelineId: pipeline!.id, name: 'Lead', position: 0 },
      { workspaceId: workspace!.id, pipelineId: pipeline!.id, name: 'Won', position: 1 },
    ])
    .returning();
  const [deal] = await db
    .insert(deals)
    .values({
      workspaceId: workspace!.id,
      title: 'Course',
      contactId: contact!.id,
      pipelineId: pipeline!.id,
      stageId: lead!.id,
    })
    .returning();
  const [method] = await db
    .insert(paymentMethods)
    .values({
      workspaceId: workspace!.id,
      providerId: 'sandbox',
      displayName: 'Sandbox',
      credentialsCiphertext: new Uint8Array([1, 2, 3]),
      credentialsIv: new Uint8Array(12),
      credentialsAuthTag: new Uint8Array(16),
    })
    .returning();
  const [link] = await db
    .insert(paymentLinks)
    .values({
      workspaceId: workspace!.id,
      token: linkToken(),
      origin: 'deal',
      description: 'Course fee',
      methodId: method!.id,
      amountMinor: 12_500n,
      currency: 'EUR',
      contactId: contact!.id,
      dealId: deal!.id,
      createdBy: 'user_1',
    })
    .returning();
  return {
    workspace: workspace!,
    contact: contact!,
    pipeline: pipeline!,
    stages: { lead: lead!, won: won! },
    deal: deal!,
    method: method!,
    link: link!,
  };
}
