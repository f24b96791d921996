import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Database } from '@paylinks/db';
import type { AppConfig } from './config.js';
import { createErrorHandler, notFoundHandler } from './http/error-handler.js';
import { createRouter } from './http/router.js';
import type { Logger } from './logger.js';
import { healthRoutes } from './routes/health.js';

export interface Clock {
  now(): Date;
}

/** Everything the app needs from outside, passed in so tests build their own. */
export interface AppDeps {
  database: Database;
  config: Pick<AppConfig, 'publicUrl'>;
  secretKey: Buffer;
  clock: Clock;
  logger: Logger;
}

export const systemClock: Clock = { now: () => new Date() };

export function createApp(deps: AppDeps): OpenAPIHono {
  const app = createRouter();
  app.onError(createErrorHandler(deps.logger));
  app.notFound(notFoundHandler);
  app.route('/api/health', healthRoutes(deps.database));
  return app;
}
