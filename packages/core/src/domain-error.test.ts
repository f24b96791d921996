import { describe, expect, it } from 'vitest';
import { type DomainError, domainError, domainErrorCodes, err, ok, type Result } from './domain-error.js';

describe('Result helpers', () => {
  it('ok wraps a value and narrows to it', () => {
    const r: Result<number> = ok(3);
    expect(r).toEqual({ ok: true, value: 3 });
    if (r.ok) expect(r.value + 1).toBe(4);
  });

  it('ok() without a value carries undefined', () => {
    expect(ok()).toEqual({ ok: true, value: undefined });
  });

  it('err wraps an error', () => {
    const e: DomainError = domainError('invalid_amount', 'Not a number', 'amount');
    const r: Result<number> = err(e);
    expect(r).toEqual({
      ok: false,
      error: { code: 'invalid_amount', field: 'amount', message: 'Not a number' },
    });
  });
});

describe('domainError', () => {
  it('omits field when none is given, so JSON has no undefined key', () => {
    expect(Object.keys(domainError('zero_amount', 'x'))).toEqual(['code', 'message']);
  });

  it('codes are unique snake_case strings', () => {
    expect(new Set(domainErrorCodes).size).toBe(domainErrorCodes.length);
    for (const code of domainErrorCodes) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });
});
