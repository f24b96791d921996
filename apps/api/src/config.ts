import { z } from 'zod';
import { IDEMPOTENCY_LEASE_MS } from './http/idempotency.js';

/** Everything the API reads from the environment, validated once at start. */
export interface AppConfig {
  publicUrl: string;
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  secretKey: string | undefined;
  /** How long an Idempotency-Key claim protects a running request before a retry may take it over. */
  idempotencyLeaseMs: number;
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  PAYLINKS_DATA_DIR: z.string().min(1).default('./.data'),
  PAYLINKS_SECRET_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/_-]{43}=?$/, 'must be 32 random bytes, base64 encoded (openssl rand -base64 32)')
    .optional(),
  PAYLINKS_IDEMPOTENCY_LEASE_MS: z.coerce.number().int().min(100).default(IDEMPOTENCY_LEASE_MS),
});

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const nonEmpty = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(nonEmpty);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const value = parsed.data;
  // With an external PostgreSQL there is no data directory of ours to keep a generated key in.
  if (value.DATABASE_URL && !value.PAYLINKS_SECRET_KEY) {
    throw new ConfigError(
      'PAYLINKS_SECRET_KEY is required with DATABASE_URL (generate one with: openssl rand -base64 32)',
    );
  }
  return {
    port: value.PORT,
    host: value.HOST,
    publicUrl: (value.PUBLIC_URL ?? `http://localhost:${value.PORT}`).replace(/\/+$/, ''),
    databaseUrl: value.DATABASE_URL,
    dataDir: value.PAYLINKS_DATA_DIR,
    secretKey: value.PAYLINKS_SECRET_KEY,
    idempotencyLeaseMs: value.PAYLINKS_IDEMPOTENCY_LEASE_MS,
  };
}
