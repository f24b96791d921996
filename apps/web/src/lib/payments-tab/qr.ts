import QRCode from 'qrcode';

/**
 * The link as an SVG QR code, drawn on the server: no script, no image from elsewhere, nothing the
 * CSP has to allow. The SVG holds only paths (no style attribute), so `{@html}` is safe with it.
 */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
}
