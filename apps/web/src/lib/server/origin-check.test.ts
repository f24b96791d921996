import { describe, expect, it } from 'vitest';
import { isCrossSiteMutation } from './origin-check';

const own = 'https://pay.example.com';
const request = (method: string, origin?: string) =>
  new Request(`${own}/pay/abc`, { method, headers: origin === undefined ? {} : { origin } });

describe('Origin check for form posts to pages', () => {
  it('lets reads through whatever their Origin', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS'])
      expect(isCrossSiteMutation(request(method), own)).toBe(false);
  });

  it('lets a post from our own origin through', () => {
    expect(isCrossSiteMutation(request('POST', own), own)).toBe(false);
  });

  it('refuses a post from another site, with Origin null, or without one', () => {
    for (const origin of ['https://evil.example', 'https://pay.example.com.evil.example', 'null', undefined])
      expect(isCrossSiteMutation(request('POST', origin), own), String(origin)).toBe(true);
    expect(isCrossSiteMutation(request('DELETE', 'http://pay.example.com'), own)).toBe(true);
  });
});
