import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface SealedCredentials {
  ciphertext: Uint8Array;
  iv: Uint8Array;
  authTag: Uint8Array;
}

// The method's identity is bound in as associated data, so a ciphertext copied onto another
// workspace's or method's row fails to open instead of leaking credentials there.
const associatedData = (workspaceId: string, methodId: string) => Buffer.from(`${workspaceId}:${methodId}`);

/** AES-256-GCM with a fresh 96-bit IV per seal. */
export function sealCredentials(
  credentials: unknown,
  key: Buffer,
  owner: { workspaceId: string; methodId: string },
): SealedCredentials {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associatedData(owner.workspaceId, owner.methodId));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
  return { ciphertext, iv, authTag: cipher.getAuthTag() };
}

export function openCredentials(
  sealed: SealedCredentials,
  key: Buffer,
  owner: { workspaceId: string; methodId: string },
): unknown {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv));
  decipher.setAAD(associatedData(owner.workspaceId, owner.methodId));
  decipher.setAuthTag(Buffer.from(sealed.authTag));
  const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext)), decipher.final()]);
  return JSON.parse(plain.toString('utf8'));
}
