import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { defaultRequestLimits } from './http/request-limits.js';

describe('loadConfig', () => {
  it('defaults to the embedded database in ./.data on port 3000', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      dataDir: './.data',
      pgliteThread: true,
      secretKey: undefined,
      idempotencyLeaseMs: 60_000,
      limits: defaultRequestLimits,
      apiKeyRequestsPerMinute: 600,
      openSignup: false,
      webhooksAllowPrivate: false,
      smtpUrl: undefined,
      mailFrom: undefined,
      linkMailsPerHour: 200,
      backgroundJobs: true,
      server: {
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 30_000,
        keepAliveTimeoutMs: 5_000,
        maxConnections: 500,
      },
    });
  });

  it('allows private webhook targets only when PAYLINKS_WEBHOOKS_ALLOW_PRIVATE is true', () => {
    expect(loadConfig({ PAYLINKS_WEBHOOKS_ALLOW_PRIVATE: 'true' }).webhooksAllowPrivate).toBe(true);
    expect(() => loadConfig({ PAYLINKS_WEBHOOKS_ALLOW_PRIVATE: 'yes' })).toThrow(
      /PAYLINKS_WEBHOOKS_ALLOW_PRIVATE/,
    );
  });

  it('runs the background jobs unless PAYLINKS_BACKGROUND_JOBS is false', () => {
    expect(loadConfig({ PAYLINKS_BACKGROUND_JOBS: 'false' }).backgroundJobs).toBe(false);
    expect(() => loadConfig({ PAYLINKS_BACKGROUND_JOBS: 'no' })).toThrow(/PAYLINKS_BACKGROUND_JOBS/);
  });

  it('reads the hourly link mail budget per workspace, refusing zero', () => {
    expect(loadConfig({ PAYLINKS_LINK_MAIL_RATE_LIMIT: '5' }).linkMailsPerHour).toBe(5);
    expect(() => loadConfig({ PAYLINKS_LINK_MAIL_RATE_LIMIT: '0' })).toThrow(/PAYLINKS_LINK_MAIL_RATE_LIMIT/);
  });

  it('reads the server timeouts and the connection cap', () => {
    const config = loadConfig({
      PAYLINKS_HEADERS_TIMEOUT_MS: '2000',
      PAYLINKS_REQUEST_TIMEOUT_MS: '4000',
      PAYLINKS_KEEP_ALIVE_TIMEOUT_MS: '1000',
      PAYLINKS_MAX_CONNECTIONS: '50',
    });
    expect(config.server).toEqual({
      headersTimeoutMs: 2000,
      requestTimeoutMs: 4000,
      keepAliveTimeoutMs: 1000,
      maxConnections: 50,
    });
  });

  it('reads every variable and trims a trailing slash from PUBLIC_URL', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      PUBLIC_URL: 'https://pay.example.com/',
      DATABASE_URL: 'postgres://paylinks@db:5432/paylinks',
      PAYLINKS_DATA_DIR: '/var/lib/paylinks',
      PAYLINKS_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    expect(config.port).toBe(8080);
    expect(config.publicUrl).toBe('https://pay.example.com');
    expect(config.databaseUrl).toBe('postgres://paylinks@db:5432/paylinks');
  });

  it('reads the per-key API limit', () => {
    expect(loadConfig({ PAYLINKS_API_KEY_RATE_LIMIT: '1200' }).apiKeyRequestsPerMinute).toBe(1200);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PUBLIC_URL: 'ftp://example.com' }, 'PUBLIC_URL'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://db/paylinks' }, 'PAYLINKS_SECRET_KEY'],
    [{ PAYLINKS_SECRET_KEY: 'short' }, 'PAYLINKS_SECRET_KEY'],
    [{ PAYLINKS_REQUEST_TIMEOUT_MS: 'soon' }, 'PAYLINKS_REQUEST_TIMEOUT_MS'],
    [{ PAYLINKS_REQUEST_TIMEOUT_MS: '0' }, 'PAYLINKS_REQUEST_TIMEOUT_MS'],
    [{ PAYLINKS_HEADERS_TIMEOUT_MS: '1.5' }, 'PAYLINKS_HEADERS_TIMEOUT_MS'],
    [{ PAYLINKS_KEEP_ALIVE_TIMEOUT_MS: '50' }, 'PAYLINKS_KEEP_ALIVE_TIMEOUT_MS'],
    [{ PAYLINKS_MAX_CONNECTIONS: '0' }, 'PAYLINKS_MAX_CONNECTIONS'],
    [{ PAYLINKS_API_KEY_RATE_LIMIT: '0' }, 'PAYLINKS_API_KEY_RATE_LIMIT'],
    [{ PAYLINKS_API_KEY_RATE_LIMIT: 'lots' }, 'PAYLINKS_API_KEY_RATE_LIMIT'],
    [
      { PAYLINKS_HEADERS_TIMEOUT_MS: '20000', PAYLINKS_REQUEST_TIMEOUT_MS: '10000' },
      'PAYLINKS_REQUEST_TIMEOUT_MS',
    ],
  ])('refuses %o naming the variable', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });
});
