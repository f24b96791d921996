import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// A checkout reference carries its own proof of origin: a random part and a MAC of it under the
// method's webhook secret. Any instance holding the secret can tell its own references from foreign
// ones without the in-memory ledger, so webhooks may land on a different instance than the checkout.

const mac = (secret: string, nonce: string) =>
  createHmac('sha256', secret).update(`sandbox-reference:${nonce}`).digest('base64url').slice(0, 22);

export function createSandboxReference(secret: string): string {
  const nonce = randomBytes(12).toString('base64url');
  return `sbx_${nonce}_${mac(secret, nonce)}`;
}

export function isSandboxReference(secret: string, reference: string): boolean {
  const match = /^sbx_([A-Za-z0-9_-]{16})_([A-Za-z0-9_-]{22})$/.exec(reference);
  if (!match) return false;
  const expected = Buffer.from(mac(secret, match[1]!));
  const given = Buffer.from(match[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
