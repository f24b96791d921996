import type { AddressInfo } from 'node:net';
import { openApiRuntime } from './api-runtime.js';
import { listenHttp } from './http-server.js';
import type { Logger } from './logger.js';

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
  const runtime = await openApiRuntime(env, logger);
  const { config, app } = runtime;
  try {
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
        // Requests still in flight finish against an open database; the loops stop after them.
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await runtime.close();
      },
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}
