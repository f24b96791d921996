import { describe, expect, it } from 'vitest';
import { escapeLike, searchTerms } from './contact-search.js';

describe('escapeLike', () => {
  it('escapes the LIKE wildcards and the escape character itself', () => {
    expect(escapeLike('50%_off\\now')).toBe('50\\%\\_off\\\\now');
    expect(escapeLike('plain')).toBe('plain');
  });
});

describe('searchTerms', () => {
  it('matches text anywhere, with the user input escaped', () => {
    expect(searchTerms('a_b')).toEqual({ pattern: '%a\\_b%', phoneDigits: null });
  });

  it.each([
    ['06 1234', '61234'],
    ['0031 6 1234', '3161234'],
    ['+31 (6) 12-34', '3161234'],
    ['612', '612'],
  ])('reads phone-like %s as the digits %s', (query, digits) => {
    expect(searchTerms(query).phoneDigits).toBe(digits);
  });

  it.each([['ada 6'], ['000'], ['+']])('does not search phones for %s', (query) => {
    expect(searchTerms(query).phoneDigits).toBeNull();
  });
});
