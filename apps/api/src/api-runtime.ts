import type { OpenAPIHono } from '@hono/zod-openapi';
import { type Database, openDatabase } from '@paylinks/db';
import { createApp } from './app.js';
import { systemClock } from './app-context.js';
import { type AppConfig, loadConfig } from './config.js';
import type { Logger } from './logger.js';
import { checkoutOriginsOf } from './payment-methods/checkout-origins.js';
import { createInstalledProviders } from './payment-methods/installed-providers.js';
import { createProviderRegistry } from './payment-methods/provider-registry.js';
import { paymentTypeMigrations } from './payment-types/installed-payment-types.js';
import { resolveSecretKey } from './secret-key.js';
import { startBackgroundJobs } from './start-background-jobs.js';

export interface ApiRuntime {
  config: AppConfig;
  app: OpenAPIHono;
  /** The installed providers' hosted checkout origins (see checkoutOriginsOf). */
  checkoutOrigins: readonly string[];
  /** Stops the background loops (waiting for a running pass), then closes the database. Idempotent. */
  close(): Promise<void>;
}

/**
 * Everything a process serving the API needs except the HTTP listener: the configuration, the database
 * (opened and migrated), the app and the background loops. The standalone server and the web app's
 * embedded API both start from here, so they cannot drift apart.
 */
export async function openApiRuntime(
  env: Record<string, string | undefined>,
  logger: Logger,
): Promise<ApiRuntime> {
  const config = loadConfig(env);
  const database = await openDatabase({
    ...(config.databaseUrl
      ? { databaseUrl: config.databaseUrl }
      : { dataDir: config.dataDir, pgliteThread: config.pgliteThread }),
    pluginMigrations: paymentTypeMigrations(),
  });
  try {
    const secretKey = await resolveSecretKey(config);
    const providers = createInstalledProviders();
    const app = createApp({
      database,
      config,
      secretKey,
      clock: systemClock,
      logger,
      providers,
      webhooksAllowPrivate: config.webhooksAllowPrivate,
    });
    // Off, the jobs run on the other instances (they share their work through the database).
    const stopJobs = config.backgroundJobs
      ? startBackgroundJobs({
          db: database.db,
          clock: systemClock,
          logger,
          secretKey,
          providers: createProviderRegistry(providers),
          webhooks: { publicUrl: config.publicUrl, allowPrivate: config.webhooksAllowPrivate },
          mail: { publicUrl: config.publicUrl, smtpUrl: config.smtpUrl, mailFrom: config.mailFrom },
        })
      : async () => {};
    if (!config.backgroundJobs)
      logger.info('background jobs are off on this instance (PAYLINKS_BACKGROUND_JOBS=false)');
    const stopCounting =
      env.PAYLINKS_COUNT_STATEMENTS === '1' ? countStatementsOnSignal(database, logger) : () => {};
    let closing: Promise<void> | undefined;
    return {
      config,
      app,
      checkoutOrigins: checkoutOriginsOf(providers),
      close: () => {
        stopCounting();
        closing ??= stopJobs().finally(() => database.close());
        return closing;
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/**
 * `pnpm bench` (PAYLINKS_COUNT_STATEMENTS=1) reads how many SQL statements this process has sent:
 * it sends SIGUSR2 before and after a scenario, and each signal logs the running total. The first
 * line says which process counts, so the bench signals only processes that have a handler (SIGUSR2
 * ends a Node process that has none, such as a cluster primary).
 */
function countStatementsOnSignal(database: Database, logger: Logger): () => void {
  let statements = 0;
  const stopObserving = database.observeStatements(() => {
    statements++;
  });
  const report = () => logger.info('statement count', { statements, pid: process.pid });
  process.on('SIGUSR2', report);
  report();
  return () => {
    process.off('SIGUSR2', report);
    stopObserving();
  };
}
