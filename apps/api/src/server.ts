import type { AddressInfo } from 'node:net';
import { openDatabase } from '@paylinks/db';
import { createApp, systemClock } from './app.js';
import { loadConfig } from './config.js';
import { listenHttp } from './http-server.js';
import { startIdempotencySweep } from './jobs/idempotency-sweep.js';
import { startRateLimitSweep } from './jobs/rate-limit-sweep.js';
import { startReconciliationLoop } from './jobs/reconciliation.js';
import type { Logger } from './logger.js';
import { createInstalledProviders } from './payment-methods/installed-providers.js';
import { createProviderRegistry } from './payment-methods/provider-registry.js';
import { resolveSecretKey } from './secret-key.js';

export interface RunningServer {
  url: string;
  /** The port actually bound (PORT=0 picks a free one). */
  port: number;
  close(): Promise<void>;
}

/** Opens the database (migrating it), then serves the app; close() stops both. */
export async function startServer(
  env: Record<string, string | undefined>,
  logger: Logger,
): Promise<RunningServer> {
  const config = loadConfig(env);
  const database = await openDatabase({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir }),
  });
  try {
    const secretKey = await resolveSecretKey(config);
    const providers = createInstalledProviders();
    const app = createApp({ database, config, secretKey, clock: systemClock, logger, providers });
    // Payments whose webhook never came are asked about once a minute.
    const stopReconciliation = startReconciliationLoop(
      {
        db: database.db,
        clock: systemClock,
        logger,
        secretKey,
        providers: createProviderRegistry(providers),
      },
      60_000,
    );
    // Expired Idempotency-Keys go even when nobody reuses them.
    const stopIdempotencySweep = startIdempotencySweep({ db: database.db, clock: systemClock, logger });
    // Counters of ended windows, so a spray of addresses does not grow the table for ever.
    const stopRateLimitSweep = startRateLimitSweep({ db: database.db, clock: systemClock, logger });
    const server = await listenHttp(app.fetch, {
      port: config.port,
      host: config.host,
      limits: config.server,
    });
    const { port } = server.address() as AddressInfo;
    const publicUrl = env.PUBLIC_URL ? config.publicUrl : `http://localhost:${port}`;
    return {
      url: publicUrl,
      port,
      close: async () => {
        await stopReconciliation();
        await stopIdempotencySweep();
        await stopRateLimitSweep();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
