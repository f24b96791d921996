import { openApiRuntime } from './api-runtime.js';
import { createApp } from './app.js';
import { systemClock } from './app-context.js';
import { ConfigError, loadConfig } from './config.js';
import { createConsoleLogger } from './logger.js';
import { createInstalledProviders } from './payment-methods/installed-providers.js';

// The API as a library for a process that has its own HTTP server (the web app). Its public types are
// spelled out here, not borrowed from the app, so dist/embedded.d.ts stands on its own.

/**
 * Who is calling, for rate limits: the peer's address as the caller's own socket saw it (no proxy
 * headers applied; PAYLINKS_TRUST_PROXY decides about X-Forwarded-For here, as in the standalone
 * server). `clientAddress` is what http/client-address.ts reads; `incoming.socket` is the shape
 * @hono/node-server's getConnInfo reads, for code that still asks it.
 */
export interface EmbeddedRequestEnv {
  clientAddress: string;
  incoming: { socket: { remoteAddress: string } };
}

export interface EmbeddedApp {
  fetch(request: Request, env: EmbeddedRequestEnv): Response | Promise<Response>;
}

export interface EmbeddedApi {
  app: EmbeddedApp;
  /** PUBLIC_URL without a trailing slash: the origin payment links and Origin checks are built on. */
  publicUrl: string;
  /**
   * Where the installed providers' hosted checkout pages are (https origins, or a local simulator's
   * when PAYLINKS_*_API_URL points at one). The payment page's CSP `form-action` must allow them:
   * its form posts to us and is answered with a redirect there, and browsers check that redirect.
   */
  checkoutOrigins: readonly string[];
  /** Stops the background loops, then closes the database. Idempotent. */
  close(): Promise<void>;
}

export interface EmbeddedConfig {
  publicUrl: string;
  host: string;
  port: number;
  /** PostgreSQL when DATABASE_URL is set, else the embedded PGlite (one process per data directory). */
  driver: 'pglite' | 'postgres';
  /** PAYLINKS_WORKERS: how many processes `npm start` runs on PostgreSQL; undefined when unset. */
  workers: number | undefined;
  /** The standalone server's connection limits (milliseconds, and open connections at once). */
  server: {
    headersTimeoutMs: number;
    requestTimeoutMs: number;
    keepAliveTimeoutMs: number;
    maxConnections: number;
  };
}

/**
 * Reads the same environment as the standalone server (PORT, HOST, PUBLIC_URL, DATABASE_URL,
 * PAYLINKS_DATA_DIR, PAYLINKS_SECRET_KEY…). Throws an Error named ConfigError saying what is wrong.
 */
export function readEmbeddedConfig(env: Record<string, string | undefined>): EmbeddedConfig {
  const { publicUrl, host, port, server, databaseUrl } = loadConfig(env);
  const driver = databaseUrl ? 'postgres' : 'pglite';
  return { publicUrl, host, port, driver, workers: readWorkers(env.PAYLINKS_WORKERS), server };
}

const MAX_WORKERS = 256;

// Only the web app's start (serve.js) forks workers, so the standalone server's config leaves it out.
function readWorkers(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const workers = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN;
  if (!(workers >= 1 && workers <= MAX_WORKERS)) {
    throw new ConfigError(
      `Invalid configuration:\n  PAYLINKS_WORKERS: must be a whole number from 1 to ${MAX_WORKERS} (got ${JSON.stringify(value)})`,
    );
  }
  return workers;
}

/**
 * Opens the database (migrating it), builds the app and starts the background loops the standalone
 * server runs. A PGlite data directory is locked: call it once per process.
 */
export async function openEmbeddedApi(env: Record<string, string | undefined>): Promise<EmbeddedApi> {
  const runtime = await openApiRuntime(env, createConsoleLogger());
  return {
    app: runtime.app,
    publicUrl: runtime.config.publicUrl,
    checkoutOrigins: runtime.checkoutOrigins,
    close: runtime.close,
  };
}

/**
 * The document /api/openapi.json serves, built without a database: describing the routes never
 * queries, so code generators need no server and no data directory.
 */
export async function describeApi(): Promise<Record<string, unknown>> {
  const noDatabase = new Proxy(
    {},
    {
      get(_, property) {
        throw new Error(`The API description touched the database (${String(property)})`);
      },
    },
  );
  const app = createApp({
    database: {
      db: noDatabase,
      driver: 'pglite',
      migrationsFolder: '',
      observeStatements: () => () => {},
      close: async () => {},
    } as never,
    // Every setting at its default, so settings added later never leave the description half-built.
    config: loadConfig({}),
    secretKey: Buffer.alloc(32),
    clock: systemClock,
    logger: { info: () => {}, error: () => {} },
    providers: createInstalledProviders(),
  });
  const response = await app.request('/api/openapi.json');
  if (!response.ok) throw new Error(`GET /api/openapi.json answered ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}
