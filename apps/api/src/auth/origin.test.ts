import { describe, expect, it } from 'vitest';
import { isSameOriginMutation } from './origin.js';

const own = 'https://pay.example.com';
const allowed = (headers: Record<string, string>, method = 'POST') =>
  isSameOriginMutation(method, new Headers(headers), own);

describe('a cookie-authenticated mutation', () => {
  it('is allowed from our own Origin', () => {
    expect(allowed({ origin: own })).toBe(true);
  });

  it('is refused from a foreign Origin, even when Referer and Sec-Fetch-Site say ours', () => {
    expect(
      allowed({ origin: 'https://evil.example', referer: `${own}/deals`, 'sec-fetch-site': 'same-origin' }),
    ).toBe(false);
  });

  it('is refused with Origin: null (a sandboxed frame, a data: page), whatever the Referer says', () => {
    expect(allowed({ origin: 'null' })).toBe(false);
    expect(allowed({ origin: 'null', referer: `${own}/deals` })).toBe(false);
  });

  it('is decided by Origin alone when present: Sec-Fetch-Site is not consulted', () => {
    expect(allowed({ origin: own, 'sec-fetch-site': 'cross-site' })).toBe(true);
  });

  it('without Origin falls back to the Referer, refusing a cross-site Sec-Fetch-Site', () => {
    expect(allowed({ referer: `${own}/deals` })).toBe(true);
    expect(allowed({ referer: `${own}/deals`, 'sec-fetch-site': 'cross-site' })).toBe(false);
    expect(allowed({ referer: 'https://evil.example/' })).toBe(false);
    expect(allowed({})).toBe(false);
  });

  it('does not apply to reads', () => {
    expect(allowed({ origin: 'null' }, 'GET')).toBe(true);
  });
});
