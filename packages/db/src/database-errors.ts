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

/**
 * Connection-level codes from Node's sockets and from postgres.js. None of them says anything about
 * the statement: the same statement may succeed once the server is back.
 */
const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/**
 * SQLSTATEs of a server that cannot take the statement now: class 08 (connection exception),
 * 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up or in
 * recovery), and 53300 too_many_connections, which clears as soon as other clients let go.
 */
function isUnavailableSqlState(code: string): boolean {
  return (
    code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300'
  );
}

/** PGlite rejects every query with one of these once close() has begun. */
const pgliteGone = /^PGlite is (?:closed|closing)$/;

/**
 * True when the database could not be reached or went away, as opposed to refusing the statement:
 * the request may succeed if retried later. Looks through drizzle's DrizzleQueryError (`cause`)
 * and the AggregateError Node raises when every address of a host refused (`errors`).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value: error, depth: 0 }];
  while (pending.length > 0) {
    const { value, depth } = pending.pop()!;
    if (!(value instanceof Object) || depth > 5) continue;
    const { code, message, cause, errors } = value as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof code === 'string') {
      if (isSqlState(code) ? isUnavailableSqlState(code) : unreachableCodes.has(code)) return true;
    }
    if (typeof message === 'string' && pgliteGone.test(message)) return true;
    pending.push({ value: cause, depth: depth + 1 });
    if (Array.isArray(errors)) for (const each of errors) pending.push({ value: each, depth: depth + 1 });
  }
  return false;
}
