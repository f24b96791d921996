import { crc32, deflateSync } from 'node:zlib';
import type { BenchWorkspace } from './workspace-setup';

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([head, body, crc]);
}

/**
 * A logo of the size teams upload (320 × 96, RGB, with gradients, about the weight of a real one), made here so the bench keeps no binary file.
 */
export function benchLogo(): Buffer {
  const [width, height] = [320, 96];
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = y * (width * 3 + 1) + 1 + x * 3;
      const shade = ((x + y) >> 2) & 0x3f;
      rows.set([37 + shade, 99 + ((x * y) >> 9), 235 - shade], at);
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Gives the bench workspace a brand (colour, name, support contact, logo) through the API, as a team would. */
export async function brandWorkspace(baseUrl: string, ws: BenchWorkspace): Promise<void> {
  const authorization = `Bearer ${ws.apiKeys[0]}`;
  const send = async (path: string, contentType: string, body: string | Uint8Array<ArrayBuffer>) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'PUT',
      headers: { authorization, 'content-type': contentType },
      body,
    });
    if (!response.ok) throw new Error(`PUT ${path} answered ${response.status}: ${await response.text()}`);
  };
  await send(
    '/api/branding',
    'application/json',
    JSON.stringify({
      displayName: 'Bench Studio',
      accentColor: '#2563eb',
      supportEmail: 'help@bench.example',
      supportUrl: 'https://bench.example/help',
      thankYouMessage: 'Thank you for your payment.',
    }),
  );
  await send('/api/branding/logo', 'image/png', new Uint8Array(benchLogo()));
}
