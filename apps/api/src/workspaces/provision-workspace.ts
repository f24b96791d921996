import { randomUUID } from 'node:crypto';
import { type PaylinksTransaction, schema } from '@paylinks/db';
import { eq } from 'drizzle-orm';
import { sealCredentials } from '../payment-methods/credentials-crypto.js';

export const defaultPipelineName = 'Sales';
export const defaultStageNames = ['New', 'Invoice sent', 'Won', 'Lost'] as const;

export interface StarterPaymentMethod {
  providerId: string;
  displayName: string;
  /** Called per workspace, so each gets its own secrets. */
  credentials: () => unknown;
}

/**
 * Everything a new workspace needs so its owner can create a payment link within a minute: the
 * owner membership, the default "Sales" pipeline and a test-mode payment method. One transaction,
 * and the owner's session is switched to the new workspace in it too.
 */
export async function provisionWorkspace(
  tx: PaylinksTransaction,
  input: {
    name: string;
    ownerUserId: string;
    sessionToken: string;
    starterMethod: StarterPaymentMethod;
    secretKey: Buffer;
    now: Date;
  },
) {
  const workspaceId = randomUUID();
  const slug = `${slugify(input.name)}-${workspaceId.slice(0, 8)}`;
  const [workspace] = await tx
    .insert(schema.workspaces)
    .values({ id: workspaceId, name: input.name, slug, createdAt: input.now })
    .returning();
  await tx
    .insert(schema.member)
    .values({ organizationId: workspaceId, userId: input.ownerUserId, role: 'owner', createdAt: input.now });

  const [pipeline] = await tx
    .insert(schema.pipelines)
    .values({ workspaceId, name: defaultPipelineName, isDefault: true, createdAt: input.now })
    .returning();
  await tx
    .insert(schema.pipelineStages)
    .values(
      defaultStageNames.map((name, position) => ({ workspaceId, pipelineId: pipeline!.id, name, position })),
    );

  const methodId = randomUUID();
  const sealed = sealCredentials(input.starterMethod.credentials(), input.secretKey, {
    workspaceId,
    methodId,
  });
  await tx.insert(schema.paymentMethods).values({
    id: methodId,
    workspaceId,
    providerId: input.starterMethod.providerId,
    displayName: input.starterMethod.displayName,
    mode: 'test',
    credentialsCiphertext: sealed.ciphertext,
    credentialsIv: sealed.iv,
    credentialsAuthTag: sealed.authTag,
  });

  await tx
    .update(schema.session)
    .set({ activeOrganizationId: workspaceId })
    .where(eq(schema.session.token, input.sessionToken));
  return workspace!;
}

function slugify(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return slug || 'workspace';
}
