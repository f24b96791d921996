import { describe, expect, it } from 'vitest';
import { normalisePhone } from './phone-number.js';

describe('normalisePhone', () => {
  it.each([
    ['+31 6 12345678', undefined, '+31612345678'],
    ['+1 (415) 555-2671', undefined, '+14155552671'],
    ['06 12345678', 'NL', '+31612345678'],
    ['06-12345678', 'nl', '+31612345678'],
    ['0031 6 12345678', 'NL', '+31612345678'],
    ['(415) 555-2671', 'US', '+14155552671'],
    // A number already in international form keeps its own country whatever the default says.
    ['+31612345678', 'US', '+31612345678'],
  ])('%s (default %s) becomes %s', (input, country, expected) => {
    expect(normalisePhone(input, country)).toEqual({ ok: true, value: expected });
  });

  it('refuses a national number without a country, telling the user how to fix it', () => {
    const result = normalisePhone('06 12345678');
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_phone', field: 'phone' } });
    expect(!result.ok && result.error.message).toMatch(/\+.*defaultCountry/);
  });

  it.each([
    ['+31 6 1234'],
    ['+999 123'],
    ['+3161234567800000000'],
    ['abc'],
    ['call +31612345678 now'],
    ['+31612345678 ext. 12'],
  ])('refuses %s as invalid_phone', (input) => {
    expect(normalisePhone(input)).toMatchObject({
      ok: false,
      error: { code: 'invalid_phone', field: 'phone' },
    });
  });

  it('refuses a country it does not know, naming defaultCountry', () => {
    expect(normalisePhone('06 12345678', 'XX')).toMatchObject({
      ok: false,
      error: { code: 'unsupported_country', field: 'defaultCountry' },
    });
  });
});
