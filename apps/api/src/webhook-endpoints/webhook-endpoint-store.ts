import { randomUUID } from 'node:crypto';
import { type PaylinksDb, webhookEndpoints } from '@paylinks/db';
import { and, eq } from 'drizzle-orm';
import type { Clock } from '../app-context.js';
import type { EventType } from '../events/event-types.js';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';
import { newSigningSecret, sealSigningSecret } from './endpoint-secret.js';
import { type WebhookTargetPolicy, webhookUrlRefusal } from './webhook-url-guard.js';

/** How long the replaced secret keeps signing after a rotation, so receivers can switch over. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60_000;

type EndpointRow = typeof webhookEndpoints.$inferSelect;
type EventTypes = 'all' | EventType[];

export interface EndpointStoreDeps {
  db: PaylinksDb;
  clock: Clock;
  secretKey: Buffer;
  policy: WebhookTargetPolicy;
}

export function presentEndpoint(row: EndpointRow) {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: (row.eventTypes ?? 'all') as EventTypes,
    enabled: row.enabled,
    previousSecretExpiresAt: row.previousSecretExpiresAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const byId = (workspaceId: string, id: string) =>
  and(eq(webhookEndpoints.workspaceId, workspaceId), eq(webhookEndpoints.id, id));

async function checkUrl(url: string, policy: WebhookTargetPolicy): Promise<void> {
  const refusal = await webhookUrlRefusal(url, policy);
  if (refusal) throw new ProblemError(422, refusal);
}

// A list of every type is stored as "all", so types added later reach it too only when asked for.
const storedTypes = (types: EventTypes | undefined) =>
  types === undefined || types === 'all' ? null : [...new Set(types)];

export async function findEndpoint(db: PaylinksDb, workspaceId: string, id: string): Promise<EndpointRow> {
  const [row] = await db.select().from(webhookEndpoints).where(byId(workspaceId, id));
  if (!row) throw notFound('id', 'webhook endpoint');
  return row;
}

export async function createEndpoint(
  deps: EndpointStoreDeps,
  workspaceId: string,
  body: { url: string; eventTypes?: EventTypes; description?: string; enabled?: boolean },
): Promise<{ row: EndpointRow; secret: string }> {
  await checkUrl(body.url, deps.policy);
  const id = randomUUID();
  const secret = newSigningSecret();
  const sealed = sealSigningSecret(secret, deps.secretKey, { workspaceId, id });
  const now = deps.clock.now();
  const [row] = await deps.db
    .insert(webhookEndpoints)
    .values({
      id,
      workspaceId,
      url: body.url,
      eventTypes: storedTypes(body.eventTypes),
      description: body.description ?? '',
      enabled: body.enabled ?? true,
      secretCiphertext: sealed.ciphertext,
      secretIv: sealed.iv,
      secretAuthTag: sealed.authTag,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return { row: row!, secret };
}

export async function updateEndpoint(
  deps: EndpointStoreDeps,
  workspaceId: string,
  id: string,
  body: { url?: string; eventTypes?: EventTypes; description?: string; enabled?: boolean },
): Promise<EndpointRow> {
  await findEndpoint(deps.db, workspaceId, id);
  if (body.url !== undefined) await checkUrl(body.url, deps.policy);
  const [row] = await deps.db
    .update(webhookEndpoints)
    .set({
      ...(body.url === undefined ? {} : { url: body.url }),
      ...(body.eventTypes === undefined ? {} : { eventTypes: storedTypes(body.eventTypes) }),
      ...(body.description === undefined ? {} : { description: body.description }),
      ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
      updatedAt: deps.clock.now(),
    })
    .where(byId(workspaceId, id))
    .returning();
  if (!row) throw notFound('id', 'webhook endpoint');
  return row;
}

/** A new secret signs from now on; the one it replaces signs alongside it for ROTATION_OVERLAP_MS. */
export async function rotateSecret(
  deps: EndpointStoreDeps,
  workspaceId: string,
  id: string,
): Promise<{ row: EndpointRow; secret: string }> {
  const secret = newSigningSecret();
  const sealed = sealSigningSecret(secret, deps.secretKey, { workspaceId, id });
  const now = deps.clock.now();
  // One statement: the columns on the right are the row's values before the update.
  const [row] = await deps.db
    .update(webhookEndpoints)
    .set({
      previousSecretCiphertext: webhookEndpoints.secretCiphertext,
      previousSecretIv: webhookEndpoints.secretIv,
      previousSecretAuthTag: webhookEndpoints.secretAuthTag,
      previousSecretExpiresAt: new Date(now.getTime() + ROTATION_OVERLAP_MS),
      secretCiphertext: sealed.ciphertext,
      secretIv: sealed.iv,
      secretAuthTag: sealed.authTag,
      updatedAt: now,
    })
    .where(byId(workspaceId, id))
    .returning();
  if (!row) throw notFound('id', 'webhook endpoint');
  return { row, secret };
}

export async function deleteEndpoint(db: PaylinksDb, workspaceId: string, id: string): Promise<void> {
  const deleted = await db
    .delete(webhookEndpoints)
    .where(byId(workspaceId, id))
    .returning({ id: webhookEndpoints.id });
  if (deleted.length === 0) throw notFound('id', 'webhook endpoint');
}
