import { randomBytes } from 'node:crypto';
import { type PaylinksDb, workspaceBranding, workspaces } from '@paylinks/db';
import { eq, sql } from 'drizzle-orm';
import { passesDark } from './accent-contrast.js';
import type { BrandingInput } from './branding-schemas.js';
import type { AcceptedLogo } from './logo-image.js';
import { logoPath } from './workspace-branding.js';

/** Names the workspace in public logo URLs; 128 bits, so one workspace's URL says nothing of another's. */
const newPublicId = () => randomBytes(16).toString('base64url');

const orNull = (value: string | null | undefined) => (value === '' ? null : value);

/** Only the fields the request carries; '' is stored as null (the default). */
function changes(input: BrandingInput) {
  const set: Partial<typeof workspaceBranding.$inferInsert> = {};
  if (input.displayName !== undefined) set.displayName = orNull(input.displayName);
  if (input.accentColor !== undefined) set.accentColor = orNull(input.accentColor)?.toLowerCase() ?? null;
  if (input.supportEmail !== undefined) set.supportEmail = orNull(input.supportEmail);
  if (input.supportUrl !== undefined) set.supportUrl = orNull(input.supportUrl);
  if (input.thankYouMessage !== undefined) set.thankYouMessage = orNull(input.thankYouMessage);
  return set;
}

/** One statement: the first save creates the row (and its public id), later ones change it. */
async function upsert(
  db: PaylinksDb,
  workspaceId: string,
  set: Partial<typeof workspaceBranding.$inferInsert>,
  now: Date,
): Promise<void> {
  await db
    .insert(workspaceBranding)
    .values({ workspaceId, publicId: newPublicId(), ...set, updatedAt: now })
    .onConflictDoUpdate({ target: workspaceBranding.workspaceId, set: { ...set, updatedAt: now } });
}

export const saveBranding = (db: PaylinksDb, workspaceId: string, input: BrandingInput, now: Date) =>
  upsert(db, workspaceId, changes(input), now);

export const saveLogo = (db: PaylinksDb, workspaceId: string, logo: AcceptedLogo, now: Date) =>
  upsert(
    db,
    workspaceId,
    {
      logo: logo.bytes,
      logoContentType: logo.contentType,
      logoByteSize: logo.bytes.length,
      logoSha256: logo.sha256,
    },
    now,
  );

export const removeLogo = (db: PaylinksDb, workspaceId: string, now: Date) =>
  db
    .update(workspaceBranding)
    .set({ logo: null, logoContentType: null, logoByteSize: null, logoSha256: null, updatedAt: now })
    .where(eq(workspaceBranding.workspaceId, workspaceId));

/** The settings screen's view: what is stored, the workspace name beside it, never the logo's bytes. */
export async function brandingSettings(db: PaylinksDb, workspaceId: string) {
  const [row] = await db
    .select({
      workspaceName: workspaces.name,
      publicId: workspaceBranding.publicId,
      displayName: workspaceBranding.displayName,
      accentColor: workspaceBranding.accentColor,
      supportEmail: workspaceBranding.supportEmail,
      supportUrl: workspaceBranding.supportUrl,
      thankYouMessage: workspaceBranding.thankYouMessage,
      logoContentType: workspaceBranding.logoContentType,
      logoByteSize: workspaceBranding.logoByteSize,
      logoSha256: workspaceBranding.logoSha256,
      updatedAt: workspaceBranding.updatedAt,
    })
    .from(workspaces)
    .leftJoin(workspaceBranding, eq(workspaceBranding.workspaceId, workspaces.id))
    .where(eq(workspaces.id, workspaceId))
    .limit(1);
  if (!row) throw new Error(`The caller's workspace ${workspaceId} does not exist.`);
  const { publicId, logoContentType, logoByteSize, logoSha256, updatedAt, ...fields } = row;
  return {
    ...fields,
    logo:
      publicId && logoContentType && logoByteSize && logoSha256
        ? {
            url: logoPath(publicId, logoSha256),
            contentType: logoContentType as 'image/png' | 'image/jpeg' | 'image/webp',
            byteSize: logoByteSize,
          }
        : null,
    darkScheme: fields.accentColor ? passesDark(fields.accentColor) : false,
    updatedAt: updatedAt?.toISOString() ?? null,
  };
}

/** A public logo by its URL: the public id and the hash must both match, or there is none. */
export async function findLogo(db: PaylinksDb, publicId: string, sha256: string) {
  const [row] = await db
    .select({
      bytes: workspaceBranding.logo,
      contentType: workspaceBranding.logoContentType,
    })
    .from(workspaceBranding)
    .where(sql`${workspaceBranding.publicId} = ${publicId} and ${workspaceBranding.logoSha256} = ${sha256}`)
    .limit(1);
  return row?.bytes && row.contentType ? { bytes: row.bytes, contentType: row.contentType } : undefined;
}
