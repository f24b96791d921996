// 24 bytes = 192 bits: well past the 128-bit floor in DESIGN.md, and a multiple of 3 bytes, so the
// base64url text is exactly 32 characters with no padding and no half-used last character.
const TOKEN_BYTES = 24;
export const LINK_TOKEN_LENGTH = 32;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const WELL_FORMED = /^[A-Za-z0-9_-]{32}$/;

export type RandomFill = (bytes: Uint8Array) => void;

const cryptoFill: RandomFill = (bytes) => {
  globalThis.crypto.getRandomValues(bytes);
};

/** A public, unguessable link token. `fill` exists so tests can pin the bytes. */
export function generateLinkToken(fill: RandomFill = cryptoFill): string {
  const bytes = new Uint8Array(TOKEN_BYTES);
  fill(bytes);
  return encodeBase64Url(bytes);
}

/** Shape check only, so malformed tokens are answered without a database lookup. */
export function isWellFormedLinkToken(value: unknown): value is string {
  return typeof value === 'string' && WELL_FORMED.test(value);
}

// Hand-rolled because core must run without Node's Buffer (the web app bundles it too).
function encodeBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out +=
      ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  return out;
}
