import { crc32, deflateSync } from 'node:zlib';

/** Test images built here, byte by byte, so no binary fixture needs to be kept in the repository. */

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An RGB PNG of `width` × `height`, each pixel from `colour(x, y)`. */
export function pngOf(
  width: number,
  height: number,
  colour: (x: number, y: number) => [number, number, number],
) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter method, no interlace
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set(colour(x, y), y * (width * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A wordmark-like logo: a rounded brand-coloured block with a lighter bar, on white. */
export const brandLogoPng = (rgb: [number, number, number] = [37, 99, 235]) =>
  pngOf(160, 48, (x, y) => {
    const inBlock = x >= 4 && x < 44 && y >= 4 && y < 44;
    const inBar = x >= 56 && x < 156 && y >= 18 && y < 30;
    return inBlock ? rgb : inBar ? [22, 24, 29] : [255, 255, 255];
  });

export const svgLogo = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
);

/** A lossless 1×1 WebP (RIFF length, VP8L header), as an encoder writes it. */
export const webpLogo = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');

/** A JPEG's frame header and end marker without scan data: enough to be sniffed and measured. */
export const jpegLogo = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
  0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x20, 0x00, 0x40, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01,
  0x03, 0x11, 0x01, 0xff, 0xd9,
]);
