import { describe, expect, it } from 'vitest';
import { generateWebhookSecret } from './sandbox-credentials.js';
import { createSandboxReference, isSandboxReference } from './sandbox-reference.js';

describe('sandbox checkout references', () => {
  const secret = generateWebhookSecret();

  it('are recognised under the secret that made them', () => {
    const reference = createSandboxReference(secret);
    expect(reference).toMatch(/^sbx_/);
    expect(isSandboxReference(secret, reference)).toBe(true);
    expect(createSandboxReference(secret)).not.toBe(reference);
  });

  it('are refused under another secret, when forged or altered', () => {
    const reference = createSandboxReference(secret);
    expect(isSandboxReference(generateWebhookSecret(), reference)).toBe(false);
    expect(
      isSandboxReference(secret, `${reference.slice(0, -1)}${reference.endsWith('A') ? 'B' : 'A'}`),
    ).toBe(false);
    expect(isSandboxReference(secret, 'sbx_0123456789abcdef_0123456789abcdefghijkl')).toBe(false);
    expect(isSandboxReference(secret, 'sbx_not-a-reference')).toBe(false);
  });
});
