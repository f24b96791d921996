import { defaultKeyHasher } from '@better-auth/api-key';
import { describe, expect, it } from 'vitest';
import { hashApiKey } from './api-key-verification.js';

describe('hashApiKey', () => {
  it('stores keys the way @better-auth/api-key does, so keys it created keep working', async () => {
    for (const key of ['pl_', `pl_${'aZ'.repeat(32)}`, 'pl_ünïcødé ✓', 'x'.repeat(1000)]) {
      expect(hashApiKey(key)).toBe(await defaultKeyHasher(key));
    }
  });
});
