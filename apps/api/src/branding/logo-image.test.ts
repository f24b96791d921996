import { describe, expect, it } from 'vitest';
import { brandLogoPng, jpegLogo, pngOf, svgLogo, webpLogo } from './logo-fixtures.js';
import { acceptLogo, LOGO_MAX_BYTES } from './logo-image.js';

const refusal = (bytes: Uint8Array, type: string) => {
  const result = acceptLogo(bytes, type);
  return 'code' in result ? result.code : 'accepted';
};

describe('a logo is judged by its bytes', () => {
  it('takes PNG, JPEG and WebP, measured and hashed', () => {
    const png = acceptLogo(brandLogoPng(), 'image/png');
    expect(png).toMatchObject({ contentType: 'image/png', width: 160, height: 48 });
    expect('sha256' in png && png.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(acceptLogo(jpegLogo, 'image/jpeg')).toMatchObject({
      contentType: 'image/jpeg',
      width: 64,
      height: 32,
    });
    expect(acceptLogo(webpLogo, 'image/webp; charset=binary')).toMatchObject({ contentType: 'image/webp' });
  });

  it('refuses SVG (it can carry script), other files, and a type the bytes contradict', () => {
    expect(refusal(svgLogo, 'image/svg+xml')).toBe('logo_unsupported_type');
    expect(acceptLogo(svgLogo, 'image/png')).toMatchObject({ message: expect.stringContaining('SVG') });
    expect(refusal(Buffer.from('GIF89a\x01\x00\x01\x00'), 'image/gif')).toBe('logo_unsupported_type');
    expect(refusal(Buffer.from('just some text'), 'image/png')).toBe('logo_unsupported_type');
    // A PNG renamed .jpg: the browser declares image/jpeg, the bytes say PNG.
    expect(refusal(brandLogoPng(), 'image/jpeg')).toBe('logo_type_mismatch');
    expect(refusal(jpegLogo, 'image/png')).toBe('logo_type_mismatch');
  });

  it('refuses a cut-off image, an empty one, one over 200 KB, and a huge canvas', () => {
    const png = brandLogoPng();
    expect(refusal(png.subarray(0, png.length - 12), 'image/png')).toBe('logo_damaged');
    expect(refusal(jpegLogo.subarray(0, jpegLogo.length - 2), 'image/jpeg')).toBe('logo_damaged');
    expect(refusal(webpLogo.subarray(0, 30), 'image/webp')).toBe('logo_damaged');
    expect(refusal(new Uint8Array(), 'image/png')).toBe('logo_empty');
    expect(refusal(new Uint8Array(LOGO_MAX_BYTES + 1), 'image/png')).toBe('logo_too_large');
    expect(
      refusal(
        pngOf(5000, 1, () => [0, 0, 0]),
        'image/png',
      ),
    ).toBe('logo_dimensions');
  });
});
