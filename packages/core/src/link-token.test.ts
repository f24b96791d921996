import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateLinkToken, isWellFormedLinkToken, LINK_TOKEN_LENGTH } from './link-token.js';

describe('generateLinkToken', () => {
  it('is 32 base64url characters without padding', () => {
    for (let i = 0; i < 200; i++) {
      const token = generateLinkToken();
      expect(token).toHaveLength(LINK_TOKEN_LENGTH);
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(isWellFormedLinkToken(token)).toBe(true);
    }
  });

  it('does not repeat over many draws', () => {
    const tokens = new Set(Array.from({ length: 10_000 }, () => generateLinkToken()));
    expect(tokens.size).toBe(10_000);
  });

  it('encodes the random bytes exactly as base64url does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 24, maxLength: 24 }), (bytes) => {
        const token = generateLinkToken((target) => target.set(bytes));
        expect(token).toBe(Buffer.from(bytes).toString('base64url'));
      }),
    );
  });

  it('maps the URL-safe positions to - and _', () => {
    expect(generateLinkToken((b) => b.fill(0xff))).toBe('_'.repeat(32));
    // 0xfb 0xef 0xbe is the bit pattern 111110 repeated: index 62, which base64url spells "-".
    expect(
      generateLinkToken((b) => b.set(Array.from({ length: 24 }, (_, i) => [0xfb, 0xef, 0xbe][i % 3]!))),
    ).toBe('-'.repeat(32));
    expect(generateLinkToken((b) => b.fill(0))).toBe('A'.repeat(32));
  });
});

describe('isWellFormedLinkToken', () => {
  it.each([
    ['A'.repeat(32), true],
    ['-_'.repeat(16), true],
    ['A'.repeat(31), false],
    ['A'.repeat(33), false],
    [`${'A'.repeat(31)}=`, false],
    [`${'A'.repeat(31)}+`, false],
    [`${'A'.repeat(31)}/`, false],
    [`${'A'.repeat(31)}\n`, false],
    ['', false],
    [undefined, false],
  ])('%j is %s', (value, expected) => {
    expect(isWellFormedLinkToken(value)).toBe(expected);
  });
});
