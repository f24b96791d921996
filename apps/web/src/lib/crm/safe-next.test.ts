import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next';

describe('safeNext', () => {
  it('keeps a path on our site', () =>
    expect(safeNext('/deals/1?tab=payments')).toBe('/deals/1?tab=payments'));
  it('refuses another site, also protocol-relative', () => {
    expect(safeNext('https://evil.example')).toBe('/contacts');
    expect(safeNext('//evil.example')).toBe('/contacts');
    expect(safeNext('/\\evil.example')).toBe('/contacts');
  });
  it('falls back without one', () => expect(safeNext(null)).toBe('/contacts'));
});
