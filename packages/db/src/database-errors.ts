/**
 * PostgreSQL errors reach us in three shapes: PGlite's DatabaseError (`code`, `constraint`),
 * postgres.js's PostgresError (`code`, `constraint_name`), and drizzle's DrizzleQueryError
 * wrapping either in `cause`. These helpers look through all of them.
 */
export interface DatabaseErrorInfo {
  /** SQLSTATE, e.g. '23505'. */
  code: string;
  constraint: string | undefined;
}

/**
 * SQLSTATE classes are two digits or one of F0, HV, P0, XX; the check keeps five-letter Node codes
 * such as EPIPE or EPERM from passing for one.
 */
const SQLSTATE = /^(?:[0-9][0-9A-Z]|F0|HV|P0|XX)[0-9A-Z]{3}$/;

export function isSqlState(code: unknown): code is string {
  return typeof code === 'string' && SQLSTATE.test(code);
}

export function databaseErrorOf(error: unknown): DatabaseErrorInfo | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Object; depth++) {
    const candidate = current as { code?: unknown; constraint?: unknown; constraint_name?: unknown };
    if (isSqlState(candidate.code)) {
      const constraint = candidate.constraint ?? candidate.constraint_name;
      return { code: candidate.code, constraint: typeof constraint === 'string' ? constraint : undefined };
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function hasCode(error: unknown, code: string, constraint: string | undefined): boolean {
  const info = databaseErrorOf(error);
  return info?.code === code && (constraint === undefined || info.constraint === constraint);
}

/** True for a unique violation (23505), optionally only on the named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return hasCode(error, '23505', constraint);
}

/** True for a foreign-key violation (23503), e.g. a reference into another workspace. */
export function isForeignKeyViolation(error: unknown, constraint?: string): boolean {
  return hasCode(error, '23503', constraint);
}

/** True for a CHECK violation (23514). */
export function isCheckViolation(error: unknown, constraint?: string): boolean {
  return hasCode(error, '23514', constraint);
}
