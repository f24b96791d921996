import { describe, expect, it } from 'vitest';
import { setSecurityHeaders } from './security-headers';

describe('security headers on pages', () => {
  it('forbids sniffing, keeps the referrer on our origin, and pins https only when served over https', () => {
    const plain = new Headers();
    setSecurityHeaders(plain, { https: false });
    expect(plain.get('x-content-type-options')).toBe('nosniff');
    expect(plain.get('referrer-policy')).toBe('same-origin');
    expect(plain.has('strict-transport-security')).toBe(false);

    const secure = new Headers();
    setSecurityHeaders(secure, { https: true });
    expect(secure.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
  });
});
