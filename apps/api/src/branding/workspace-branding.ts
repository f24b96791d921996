import { type PaylinksExecutor, paymentLinks, workspaceBranding, workspaces } from '@paylinks/db';
import { eq } from 'drizzle-orm';

/** What payers see of a workspace: on the payment page, its return and error pages, and in link mail. */
export interface WorkspaceBranding {
  /** The branding's display name, else the workspace's name. */
  displayName: string;
  /** `#rrggbb`, contrast-checked when saved; null means the default look. */
  accentColor: string | null;
  /**
   * Path on our own origin (`/api/branding/logo/<public id>/<sha256>`), immutable: it changes with the
   * bytes. Mail prefixes it with PUBLIC_URL (`brandingLogoUrl`). Null when no logo is set.
   */
  logoUrl: string | null;
  supportEmail: string | null;
  supportUrl: string | null;
  /** Shown after a successful payment. */
  thankYouMessage: string | null;
}

export const logoPath = (publicId: string, sha256: string) => `/api/branding/logo/${publicId}/${sha256}`;

/** The columns every branding read selects, so the page, the mail and the settings screen agree. */
export const brandingColumns = {
  workspaceName: workspaces.name,
  publicId: workspaceBranding.publicId,
  displayName: workspaceBranding.displayName,
  accentColor: workspaceBranding.accentColor,
  supportEmail: workspaceBranding.supportEmail,
  supportUrl: workspaceBranding.supportUrl,
  thankYouMessage: workspaceBranding.thankYouMessage,
  logoSha256: workspaceBranding.logoSha256,
};

type BrandingColumns = {
  workspaceName: string;
  publicId: string | null;
  displayName: string | null;
  accentColor: string | null;
  supportEmail: string | null;
  supportUrl: string | null;
  thankYouMessage: string | null;
  logoSha256: string | null;
};

export function presentBranding(row: BrandingColumns): WorkspaceBranding {
  return {
    displayName: row.displayName ?? row.workspaceName,
    accentColor: row.accentColor,
    logoUrl: row.publicId && row.logoSha256 ? logoPath(row.publicId, row.logoSha256) : null,
    supportEmail: row.supportEmail,
    supportUrl: row.supportUrl,
    thankYouMessage: row.thankYouMessage,
  };
}

/**
 * The workspace's branding in one statement; a workspace that never saved any gets its name and the
 * default look. Undefined only for an unknown workspace.
 */
export async function loadWorkspaceBranding(
  db: PaylinksExecutor,
  workspaceId: string,
): Promise<WorkspaceBranding | undefined> {
  const [row] = await db
    .select(brandingColumns)
    .from(workspaces)
    .leftJoin(workspaceBranding, eq(workspaceBranding.workspaceId, workspaces.id))
    .where(eq(workspaces.id, workspaceId))
    .limit(1);
  return row ? presentBranding(row) : undefined;
}

/** The logo as an absolute URL, for mail (which has no origin of its own). */
export const brandingLogoUrl = (publicUrl: string, branding: WorkspaceBranding) =>
  branding.logoUrl ? new URL(branding.logoUrl, publicUrl).href : null;

/**
 * The branding of the workspace that owns a link, by the link's token, for the payer pages: every
 * state of the link (expired, deleted, paid too) is that workspace's page. Undefined for an unknown token.
 */
export async function loadLinkBranding(
  db: PaylinksExecutor,
  token: string,
): Promise<WorkspaceBranding | undefined> {
  const [row] = await db
    .select(brandingColumns)
    .from(paymentLinks)
    .innerJoin(workspaces, eq(workspaces.id, paymentLinks.workspaceId))
    .leftJoin(workspaceBranding, eq(workspaceBranding.workspaceId, paymentLinks.workspaceId))
    .where(eq(paymentLinks.token, token))
    .limit(1);
  return row ? presentBranding(row) : undefined;
}
