import { sql } from 'drizzle-orm';
import { check, foreignKey, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { bytea, timestamptz } from './columns';
import { workspaces } from './workspaces';

/**
 * How a workspace presents itself to payers: on the payment page, its return and error pages and in
 * link mail. One row per workspace, created on the first save; no row means the workspace's name and
 * the default look. The logo lives here as bytes (not on a filesystem) so every instance serves it.
 */
export const workspaceBranding = pgTable(
  'workspace_branding',
  {
    workspaceId: uuid('workspace_id').primaryKey(),
    /**
     * Names the workspace in public logo URLs (random, base64url), so a payer's page never carries
     * the workspace's own id.
     */
    publicId: text('public_id').notNull().unique('workspace_branding_public_id_unique'),
    /** Shown to payers instead of the workspace name when set. */
    displayName: text('display_name'),
    /** `#rrggbb`, lower case; the API checks its contrast before storing it. */
    accentColor: text('accent_color'),
    supportEmail: text('support_email'),
    /** https only. */
    supportUrl: text('support_url'),
    /** Shown on the success return page. */
    thankYouMessage: text('thank_you_message'),
    logo: bytea('logo'),
    /** image/png, image/jpeg or image/webp, as sniffed from the bytes. */
    logoContentType: text('logo_content_type'),
    logoByteSize: integer('logo_byte_size'),
    /** Hex sha256 of the bytes: the logo's ETag and the last segment of its immutable URL. */
    logoSha256: text('logo_sha256'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.workspaceId], foreignColumns: [workspaces.id] }).onDelete('cascade'),
    check('workspace_branding_accent_color_hex', sql`${t.accentColor} ~ '^#[0-9a-f]{6}$'`),
    check(
      'workspace_branding_logo_content_type_known',
      sql`${t.logoContentType} in ('image/png', 'image/jpeg', 'image/webp')`,
    ),
    check('workspace_branding_logo_size', sql`${t.logoByteSize} between 1 and 204800`),
    // A logo is whole or absent: bytes, type, size and hash together.
    check(
      'workspace_branding_logo_complete',
      sql`(${t.logo} is null) = (${t.logoContentType} is null) and (${t.logo} is null) = (${t.logoByteSize} is null) and (${t.logo} is null) = (${t.logoSha256} is null)`,
    ),
  ],
);
