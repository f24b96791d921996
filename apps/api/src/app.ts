import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Database } from '@paylinks/db';
import { apiKeysRoutes } from './auth/api-keys-routes.js';
import { createAuth } from './auth/auth.js';
import { meRoutes } from './auth/me-routes.js';
import { membersRoutes } from './auth/members-routes.js';
import { requireMember } from './auth/require-member.js';
import { signUpRoutes } from './auth/signup-routes.js';
import type { AppConfig } from './config.js';
import { createErrorHandler, notFoundHandler } from './http/error-handler.js';
import { createRouter } from './http/router.js';
import type { Logger } from './logger.js';
import { healthRoutes } from './routes/health.js';
import type { StarterPaymentMethod } from './workspaces/provision-workspace.js';

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

const sandboxStarterMethod: StarterPaymentMethod = {
  providerId: 'sandbox',
  displayName: 'Sandbox (test mode)',
  credentials: {},
};

export function createApp(deps: AppDeps): OpenAPIHono {
  const { db } = deps.database;
  const ownOrigin = new URL(deps.config.publicUrl).origin;
  const auth = createAuth({
    db,
    publicUrl: deps.config.publicUrl,
    secretKey: deps.secretKey,
    logger: deps.logger,
  });

  const app = createRouter();
  app.onError(createErrorHandler(deps.logger));
  app.notFound(notFoundHandler);

  // Public: no team member needed.
  app.route('/api/health', healthRoutes(deps.database));
  app.on(['GET', 'POST'], '/api/auth/*', (c) => auth.handler(c.req.raw));
  app.route(
    '/api/signup',
    signUpRoutes({
      auth,
      db,
      ownOrigin,
      secretKey: deps.secretKey,
      clock: deps.clock,
      starterMethod: sandboxStarterMethod,
    }),
  );

  // Everything below answers only a signed-in team member or an API key, scoped to its workspace.
  app.use('/api/*', requireMember({ auth, db, ownOrigin }));
  app.route('/api/me', meRoutes(db));
  app.route('/api/members', membersRoutes({ auth, db }));
  app.route('/api/api-keys', apiKeysRoutes({ auth, db }));
  return app;
}
