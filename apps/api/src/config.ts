import { z } from 'zod';
import { DEFAULT_API_KEY_REQUESTS_PER_MINUTE } from './auth/api-key-verification.js';
import { IDEMPOTENCY_LEASE_MS } from './http/idempotency.js';
import { type RequestLimits, readRequestLimits } from './http/request-limits.js';

/** A team mailing its links by hand stays far below this; a script looping over contacts does not. */
export const DEFAULT_LINK_MAILS_PER_HOUR = 200;

/** Everything the API reads from the environment, validated once at start. */
export interface AppConfig {
  publicUrl: string;
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  /** PGlite in a worker thread of its own, off the event loop (PAYLINKS_PGLITE_THREAD, default true). */
  pgliteThread: boolean;
  secretKey: string | undefined;
  server: ServerLimits;
  /** Public page budgets, sign-in throttling and whose X-Forwarded-For to believe (PAYLINKS_TRUST_PROXY, PAYLINKS_RATE_LIMIT_*, PAYLINKS_SIGNIN_*). */
  limits: RequestLimits;
  /** Requests one API key may make per clock minute (PAYLINKS_API_KEY_RATE_LIMIT); one more answers 429. */
  apiKeyRequestsPerMinute: number;
  /** How long an Idempotency-Key claim protects a running request before a retry may take it over. */
  idempotencyLeaseMs: number;
  /** POST /api/signup keeps creating workspaces after the first one (otherwise people join by invitation). */
  openSignup: boolean;
  /** Webhook endpoints may point at private, loopback and link-local addresses (PAYLINKS_WEBHOOKS_ALLOW_PRIVATE). */
  webhooksAllowPrivate: boolean;
  /** smtp://user:pass@host:port (or smtps://): invitations are mailed through it; unset, nothing is mailed. */
  smtpUrl: string | undefined;
  /** The From of invitation mail; defaults to no-reply at PUBLIC_URL's host. */
  mailFrom: string | undefined;
  /** Payment-link mails one workspace may queue per clock hour (PAYLINKS_LINK_MAIL_RATE_LIMIT); one more answers 429. */
  linkMailsPerHour: number;
  /** This instance runs the background loops (PAYLINKS_BACKGROUND_JOBS, default true); off, it serves requests only. */
  backgroundJobs: boolean;
}

/** How long a client may take, and how many may be connected at once, before the server cuts them off. */
export interface ServerLimits {
  /** From connecting (or the previous response) to the end of the request's headers. */
  headersTimeoutMs: number;
  /** From connecting to the end of the request's body. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept open for the next request. */
  keepAliveTimeoutMs: number;
  /** Open connections; one more is closed as soon as it connects. */
  maxConnections: number;
}

const milliseconds = (fallback: number) =>
  z.coerce.number().int().min(100, 'must be at least 100 (milliseconds)').max(3_600_000).default(fallback);

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  PAYLINKS_DATA_DIR: z.string().min(1).default('./.data'),
  PAYLINKS_PGLITE_THREAD: z.enum(['true', 'false'], 'must be true or false').default('true'),
  PAYLINKS_SECRET_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/_-]{43}=?$/, 'must be 32 random bytes, base64 encoded (openssl rand -base64 32)')
    .optional(),
  PAYLINKS_IDEMPOTENCY_LEASE_MS: z.coerce.number().int().min(100).default(IDEMPOTENCY_LEASE_MS),
  PAYLINKS_HEADERS_TIMEOUT_MS: milliseconds(10_000),
  PAYLINKS_REQUEST_TIMEOUT_MS: milliseconds(30_000),
  PAYLINKS_KEEP_ALIVE_TIMEOUT_MS: milliseconds(5_000),
  PAYLINKS_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(500),
  PAYLINKS_API_KEY_RATE_LIMIT: z.coerce
    .number()
    .int()
    .min(1, 'must be at least 1 (requests per minute)')
    .max(1_000_000_000)
    .default(DEFAULT_API_KEY_REQUESTS_PER_MINUTE),
  PAYLINKS_OPEN_SIGNUP: z.enum(['true', 'false'], 'must be true or false').default('false'),
  PAYLINKS_WEBHOOKS_ALLOW_PRIVATE: z.enum(['true', 'false'], 'must be true or false').default('false'),
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, error: 'must be smtp://user:pass@host:port or smtps://…' })
    .optional(),
  PAYLINKS_MAIL_FROM: z.string().min(3).max(254).optional(),
  PAYLINKS_LINK_MAIL_RATE_LIMIT: z.coerce
    .number()
    .int()
    .min(1, 'must be at least 1 (mails per hour)')
    .max(1_000_000)
    .default(DEFAULT_LINK_MAILS_PER_HOUR),
  PAYLINKS_BACKGROUND_JOBS: z.enum(['true', 'false'], 'must be true or false').default('true'),
});

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const nonEmpty = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(nonEmpty);
  const limits = readRequestLimits(nonEmpty);
  if (!parsed.success || !limits.ok) {
    const lines = [
      ...(parsed.success
        ? []
        : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)),
      ...(limits.ok ? [] : limits.errors),
    ].map((line) => `  ${line}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const value = parsed.data;
  // With an external PostgreSQL there is no data directory of ours to keep a generated key in.
  if (value.DATABASE_URL && !value.PAYLINKS_SECRET_KEY) {
    throw new ConfigError(
      'PAYLINKS_SECRET_KEY is required with DATABASE_URL (generate one with: openssl rand -base64 32)',
    );
  }
  // Node counts the headers inside the request's time, and refuses to start otherwise.
  if (value.PAYLINKS_HEADERS_TIMEOUT_MS > value.PAYLINKS_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      `PAYLINKS_HEADERS_TIMEOUT_MS (${value.PAYLINKS_HEADERS_TIMEOUT_MS}) must not be longer than PAYLINKS_REQUEST_TIMEOUT_MS (${value.PAYLINKS_REQUEST_TIMEOUT_MS}): the headers are part of the request`,
    );
  }
  return {
    port: value.PORT,
    host: value.HOST,
    publicUrl: (value.PUBLIC_URL ?? `http://localhost:${value.PORT}`).replace(/\/+$/, ''),
    databaseUrl: value.DATABASE_URL,
    dataDir: value.PAYLINKS_DATA_DIR,
    pgliteThread: value.PAYLINKS_PGLITE_THREAD === 'true',
    secretKey: value.PAYLINKS_SECRET_KEY,
    server: {
      headersTimeoutMs: value.PAYLINKS_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: value.PAYLINKS_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: value.PAYLINKS_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: value.PAYLINKS_MAX_CONNECTIONS,
    },
    idempotencyLeaseMs: value.PAYLINKS_IDEMPOTENCY_LEASE_MS,
    limits: limits.value,
    apiKeyRequestsPerMinute: value.PAYLINKS_API_KEY_RATE_LIMIT,
    openSignup: value.PAYLINKS_OPEN_SIGNUP === 'true',
    webhooksAllowPrivate: value.PAYLINKS_WEBHOOKS_ALLOW_PRIVATE === 'true',
    smtpUrl: value.SMTP_URL,
    mailFrom: value.PAYLINKS_MAIL_FROM,
    linkMailsPerHour: value.PAYLINKS_LINK_MAIL_RATE_LIMIT,
    backgroundJobs: value.PAYLINKS_BACKGROUND_JOBS === 'true',
  };
}
