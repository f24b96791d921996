import { randomBytes } from 'node:crypto';
import {
  openCredentials,
  type SealedCredentials,
  sealCredentials,
} from '../payment-methods/credentials-crypto.js';

/** 256 random bits, shown once; the prefix tells a leaked string apart from other secrets. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

// Sealed like payment-method credentials, bound to the endpoint: the associated data differs from
// every method's (a uuid), so a sealed secret copied to another row or workspace does not open.
const ownerOf = (endpoint: { workspaceId: string; id: string }) => ({
  workspaceId: endpoint.workspaceId,
  methodId: `webhook-endpoint:${endpoint.id}`,
});

export function sealSigningSecret(
  secret: string,
  key: Buffer,
  endpoint: { workspaceId: string; id: string },
): SealedCredentials {
  return sealCredentials(secret, key, ownerOf(endpoint));
}

export function openSigningSecret(
  sealed: SealedCredentials,
  key: Buffer,
  endpoint: { workspaceId: string; id: string },
): string {
  const secret = openCredentials(sealed, key, ownerOf(endpoint));
  if (typeof secret !== 'string') throw new Error('a sealed webhook secret is not a string');
  return secret;
}

/** The secrets a delivery is signed with now: the current one, and the previous one during its overlap. */
export function signingSecretsOf(
  endpoint: {
    workspaceId: string;
    id: string;
    secretCiphertext: Uint8Array;
    secretIv: Uint8Array;
    secretAuthTag: Uint8Array;
    previousSecretCiphertext: Uint8Array | null;
    previousSecretIv: Uint8Array | null;
    previousSecretAuthTag: Uint8Array | null;
    previousSecretExpiresAt: Date | null;
  },
  key: Buffer,
  now: Date,
): string[] {
  const current = openSigningSecret(
    { ciphertext: endpoint.secretCiphertext, iv: endpoint.secretIv, authTag: endpoint.secretAuthTag },
    key,
    endpoint,
  );
  const {
    previousSecretCiphertext: ciphertext,
    previousSecretIv: iv,
    previousSecretAuthTag: authTag,
  } = endpoint;
  const overlapping =
    ciphertext && iv && authTag && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now;
  if (!overlapping) return [current];
  return [current, openSigningSecret({ ciphertext, iv, authTag }, key, endpoint)];
}
