import { describe, expect, it } from 'vitest';
import { databaseErrorOf, isForeignKeyViolation, isUniqueViolation } from './database-errors';

describe('database error recognition', () => {
  it('reads PGlite, postgres.js and drizzle-wrapped shapes', () => {
    const pglite = Object.assign(new Error('dup'), {
      code: '23505',
      constraint: 'payment_links_token_unique',
    });
    const postgresJs = Object.assign(new Error('dup'), { code: '23505', constraint_name: 'x_unique' });
    const wrapped = new Error('Failed query', { cause: postgresJs });
    expect(isUniqueViolation(pglite, 'payment_links_token_unique')).toBe(true);
    expect(isUniqueViolation(wrapped, 'x_unique')).toBe(true);
    expect(databaseErrorOf(wrapped)).toEqual({ code: '23505', constraint: 'x_unique' });
    expect(isForeignKeyViolation(wrapped)).toBe(false);
  });

  it('ignores errors that are not from the database', () => {
    expect(isUniqueViolation(Object.assign(new Error('fs'), { code: 'ENOENT' }))).toBe(false);
    expect(isUniqueViolation('23505')).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
  });
});
