import { databaseErrorOf, isSqlState } from '@paylinks/db';

/** Structured JSON lines on stdout/stderr. Callers pass facts, never secrets, tokens, card data or payer PII. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createConsoleLogger(): Logger {
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
    if (level === 'error') console.error(line);
    else console.log(line);
  };
  return {
    info: (message, fields) => write('info', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

/** Keeps what was logged, for tests that assert on it (for example that nothing secret is logged). */
export function createMemoryLogger(): Logger & {
  lines: { level: string; message: string; fields?: Record<string, unknown> }[];
} {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  return {
    lines,
    info: (message, fields) => lines.push({ level: 'info', message, ...(fields ? { fields } : {}) }),
    error: (message, fields) => lines.push({ level: 'error', message, ...(fields ? { fields } : {}) }),
  };
}

/**
 * What an operator needs to act on an error — its class, a message, SQLSTATE and constraint —
 * and nothing a statement carried. Drizzle's DrizzleQueryError message is the whole SQL text
 * with its parameters (payer emails, link tokens), so its driver cause's message is used
 * instead; PostgreSQL's `detail` (which echoes key values) is never read.
 */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Object)) {
    return { error: error === null ? 'null' : typeof error };
  }
  const cause = (error as { cause?: unknown }).cause;
  const database = databaseErrorOf(error);
  const code = systemCodeOf(error);
  return {
    error: classOf(error),
    errorMessage: safeMessage(error, database?.code),
    ...(database ? { sqlState: database.code } : {}),
    ...(database?.constraint ? { constraint: database.constraint } : {}),
    ...(code ? { errorCode: code } : {}),
    ...(cause instanceof Object ? { errorCause: classOf(cause) } : {}),
  };
}

function classOf(value: object): string {
  const name = (value as { name?: unknown }).name;
  // DrizzleQueryError never sets `name` (it reads a useless "Error"); PGlite's DatabaseError is
  // named "error" after the protocol message and its constructor name is minified away.
  if (typeof name === 'string' && /^[A-Z]\w+$/.test(name) && name !== 'Error') return name;
  const constructorName = value.constructor?.name;
  if (constructorName && constructorName.length > 2 && constructorName !== 'Object') return constructorName;
  if (isSqlState((value as { code?: unknown }).code)) return 'DatabaseError';
  return typeof name === 'string' && name !== '' ? name : 'Error';
}

const maxMessageLength = 300;

function safeMessage(error: object, sqlState: string | undefined): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Object; depth++) {
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string' && !carriesStatement(current, message)) {
      return redactValues(message, sqlState).slice(0, maxMessageLength);
    }
    current = (current as { cause?: unknown }).cause;
  }
  return 'query failed (statement and parameters not logged)';
}

function carriesStatement(error: object, message: string): boolean {
  const query = (error as { query?: unknown }).query;
  return (
    message.startsWith('Failed query:') ||
    (typeof query === 'string' && query !== '' && message.includes(query))
  );
}

/** Class 22 (data exception) messages quote the offending input, e.g. `invalid input syntax for type uuid: "…"`. */
function redactValues(message: string, sqlState: string | undefined): string {
  if (!sqlState?.startsWith('22')) return message;
  return message.replace(/"[^"]*"/g, '"…"');
}

/** Node's and postgres.js's non-SQLSTATE codes (ECONNREFUSED, CONNECTION_CLOSED) tell an operator where to look. */
function systemCodeOf(error: object): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Object; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && !isSqlState(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
