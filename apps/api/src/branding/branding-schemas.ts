import { z } from '@hono/zod-openapi';
import { text } from '../http/text-schema.js';
import { contrastMessage, firstFailure, lightPairs } from './accent-contrast.js';
import { LOGO_MAX_BYTES, logoContentTypes } from './logo-image.js';

export const tags = ['Branding'];

const isHttpsUrl = (value: string) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '' && !url.username && !url.password;
  } catch {
    return false;
  }
};

// '' clears a field as null does: a plain HTML form sends an emptied input as ''.
const cleared = (value: string) => value === '';

/** `#rrggbb` the page can show: it must pass the light scheme's pairs (accent-contrast.ts). */
const accentColor = z
  .string()
  .regex(/^(#[0-9a-fA-F]{6})?$/, { message: 'Give the colour as #rrggbb.' })
  .superRefine((value, ctx) => {
    if (!/^#[0-9a-fA-F]{6}$/.test(value)) return;
    const accent = value.toLowerCase();
    const failure = firstFailure(lightPairs(accent));
    if (failure)
      ctx.addIssue({
        code: 'custom',
        message: contrastMessage(accent, failure),
        params: { code: 'insufficient_contrast' },
      });
  })
  .openapi({
    example: '#1d4ed8',
    description:
      'The Pay button and links. Refused with 422 `insufficient_contrast` (the message gives the contrast reached and the ratio needed) unless it reaches 4.5:1 against the page background #f4f5f7 and under white button text.',
  });

const brandingFields = {
  displayName: text({ max: 80 })
    .nullable()
    .openapi({ description: "Shown to payers; null or '' for the workspace name", example: 'Acme Studio' }),
  accentColor: accentColor.nullable(),
  supportEmail: text({ max: 254 })
    .refine((value) => cleared(value) || z.regexes.email.test(value), {
      message: 'Give an email address.',
      params: { code: 'invalid_email' },
    })
    .nullable()
    .openapi({ example: 'help@acme.example' }),
  supportUrl: text({ max: 2000 })
    .refine((value) => cleared(value) || isHttpsUrl(value), {
      message: 'Give an https:// address.',
      params: { code: 'invalid_url' },
    })
    .nullable()
    .openapi({ description: 'https only', example: 'https://acme.example/help' }),
  thankYouMessage: text({ max: 500, multiline: true })
    .nullable()
    .openapi({ description: 'Shown on the page after a successful payment' }),
};

export const putBrandingSchema = z.strictObject(brandingFields).openapi('BrandingInput');
export const patchBrandingSchema = z
  .strictObject({
    displayName: brandingFields.displayName.optional(),
    accentColor: brandingFields.accentColor.optional(),
    supportEmail: brandingFields.supportEmail.optional(),
    supportUrl: brandingFields.supportUrl.optional(),
    thankYouMessage: brandingFields.thankYouMessage.optional(),
  })
  .openapi('BrandingPatch');
export type BrandingInput = Partial<z.infer<typeof putBrandingSchema>>;

export const brandingSettingsSchema = z
  .object({
    workspaceName: z.string(),
    displayName: z.string().nullable().openapi({ description: 'Null: payers see the workspace name' }),
    accentColor: z.string().nullable(),
    supportEmail: z.string().nullable(),
    supportUrl: z.string().nullable(),
    thankYouMessage: z.string().nullable(),
    logo: z
      .object({
        url: z.string().openapi({ description: 'On our origin; changes when the logo does' }),
        contentType: z.enum(logoContentTypes),
        byteSize: z.number().int(),
      })
      .nullable(),
    darkScheme: z.boolean().openapi({
      description:
        "The payer page follows the payer's dark preference: only when the accent also passes there (white text on it 4.5:1, the button 3:1 against the dark card)",
    }),
    updatedAt: z.iso.datetime().nullable(),
  })
  .openapi('BrandingSettings');

export const publicBrandingSchema = z
  .object({
    displayName: z.string(),
    accentColor: z.string().nullable(),
    logoUrl: z.string().nullable(),
    supportEmail: z.string().nullable(),
    supportUrl: z.string().nullable(),
    thankYouMessage: z.string().nullable(),
    stylesheetUrl: z
      .string()
      .nullable()
      .openapi({ description: 'The colours for the accent, on our origin (the CSP allows no inline style)' }),
  })
  .openapi('PublicBranding');

export const logoParams = z.object({
  publicId: text({ max: 64, trim: false }).openapi({ param: { name: 'publicId', in: 'path' } }),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .openapi({ param: { name: 'sha256', in: 'path' } }),
});

export const themeParams = z.object({
  file: z
    .string()
    .regex(/^[0-9a-f]{6}\.css$/)
    .openapi({ param: { name: 'file', in: 'path' }, example: '1d4ed8.css' }),
});

export const logoUploadContent = Object.fromEntries(
  logoContentTypes.map((type) => [type, { schema: z.string().openapi({ format: 'binary' }) }]),
);

export const LOGO_UPLOAD_DESCRIPTION =
  `The raw image bytes as the body, its type in Content-Type (PNG, JPEG or WebP; at most ${LOGO_MAX_BYTES / 1024} KB). ` +
  'The type is sniffed from the bytes and must match Content-Type. Refused with 422: an SVG or anything else ' +
  '(`logo_unsupported_type`), a declared type the bytes contradict (`logo_type_mismatch`), a cut-off image ' +
  '(`logo_damaged`), an empty body (`logo_empty`), more than 4096 px a side (`logo_dimensions`); a larger body 413.';
