import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openCredentials, sealCredentials } from './credentials-crypto.js';

const key = randomBytes(32);
const owner = { workspaceId: randomUUID(), methodId: randomUUID() };
const credentials = { apiKey: 'sk_test_51Hsecretvalue' };

describe('provider credentials at rest', () => {
  it('round-trips and never contains the plaintext', () => {
    const sealed = sealCredentials(credentials, key, owner);
    expect(Buffer.from(sealed.ciphertext).toString('utf8')).not.toContain('sk_test');
    expect(openCredentials(sealed, key, owner)).toEqual(credentials);
  });

  it('uses a fresh IV each time', () => {
    const a = sealCredentials(credentials, key, owner);
    const b = sealCredentials(credentials, key, owner);
    expect(Buffer.from(a.iv).equals(Buffer.from(b.iv))).toBe(false);
  });

  it('refuses to open with another key, for another method, or after tampering', () => {
    const sealed = sealCredentials(credentials, key, owner);
    expect(() => openCredentials(sealed, randomBytes(32), owner)).toThrow();
    expect(() => openCredentials(sealed, key, { ...owner, methodId: randomUUID() })).toThrow();
    const tampered = Buffer.from(sealed.ciphertext);
    tampered[0] = (tampered[0] ?? 0) ^ 1;
    expect(() => openCredentials({ ...sealed, ciphertext: tampered }, key, owner)).toThrow();
  });
});
