import { createHash } from 'node:crypto';
import { imageSize } from 'image-size';
import { LOGO_BODY_LIMIT } from '../http/body-limit.js';

/** The logo limit; the body limit on the upload route is the same, so a larger body never arrives. */
export const LOGO_MAX_BYTES = LOGO_BODY_LIMIT;
/** A logo is shown at most a few hundred pixels wide; a bigger canvas is a mistake or a bomb. */
export const LOGO_MAX_DIMENSION = 4096;

export const logoContentTypes = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type LogoContentType = (typeof logoContentTypes)[number];

const typeOfSniffed: Record<string, LogoContentType> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
};

export interface AcceptedLogo {
  bytes: Uint8Array;
  contentType: LogoContentType;
  sha256: string;
  width: number;
  height: number;
}

export type LogoRefusal = { code: string; message: string };

const startsWith = (bytes: Uint8Array, prefix: number[], at = 0) =>
  prefix.every((byte, index) => bytes[at + index] === byte);

/**
 * Whole files only: image-size reads the header, so a cut-off upload would pass it. PNG ends with
 * its IEND chunk, JPEG with the end-of-image marker, and a WebP's RIFF header states its length.
 */
function isComplete(bytes: Uint8Array, type: LogoContentType): boolean {
  switch (type) {
    case 'image/png':
      return startsWith(bytes, [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82], bytes.length - 8);
    case 'image/jpeg':
      return startsWith(bytes, [0xff, 0xd9], bytes.length - 2);
    case 'image/webp': {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return bytes.length >= 12 && view.getUint32(4, true) + 8 === bytes.length;
    }
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}

const unsupported = (sniffed: string | undefined): LogoRefusal => ({
  code: 'logo_unsupported_type',
  message:
    sniffed === 'svg'
      ? 'SVG logos are refused: an SVG can carry script. Upload a PNG, JPEG or WebP.'
      : 'The file is not a PNG, JPEG or WebP image.',
});

/**
 * The uploaded bytes as a logo, judged by their content: the type is sniffed (magic numbers and the
 * image's own header), must match the type the upload declared, and the image must be whole.
 */
export function acceptLogo(bytes: Uint8Array, declaredType: string): AcceptedLogo | LogoRefusal {
  if (bytes.length === 0) return { code: 'logo_empty', message: 'The upload is empty.' };
  if (bytes.length > LOGO_MAX_BYTES)
    return { code: 'logo_too_large', message: `A logo may be at most ${LOGO_MAX_BYTES / 1024} KB.` };
  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(bytes);
  } catch {
    return unsupported(undefined);
  }
  const contentType = size.type ? typeOfSniffed[size.type] : undefined;
  if (!contentType) return unsupported(size.type);
  const declared = declaredType.split(';', 1)[0]?.trim().toLowerCase();
  if (declared !== contentType)
    return {
      code: 'logo_type_mismatch',
      message: `The file was sent as ${declared || 'no type'}, but its bytes are ${contentType}.`,
    };
  if (!isComplete(bytes, contentType))
    return { code: 'logo_damaged', message: 'The image is damaged or cut off.' };
  if (!size.width || !size.height || size.width > LOGO_MAX_DIMENSION || size.height > LOGO_MAX_DIMENSION)
    return {
      code: 'logo_dimensions',
      message: `A logo may be at most ${LOGO_MAX_DIMENSION} × ${LOGO_MAX_DIMENSION} pixels.`,
    };
  return {
    bytes,
    contentType,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    width: size.width,
    height: size.height,
  };
}
