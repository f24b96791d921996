import { createRoute, z } from '@hono/zod-openapi';
import { type Database, getMigrationStatus, isDatabaseUnavailable } from '@paylinks/db';
import { databaseRetryAfterSeconds } from '../http/database-unavailable.js';
import { createRouter } from '../http/router.js';
import { errorFields, type Logger } from '../logger.js';

const healthSchema = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    /** Why not serving: the database cannot be reached (retry), or it answered with an error (look at the log). */
    code: z.enum(['database_unavailable', 'database_error']).optional(),
    database: z.object({
      driver: z.enum(['pglite', 'postgres']),
      migrations: z
        .object({ applied: z.number().int(), pending: z.number().int(), latest: z.string().nullable() })
        .optional(),
    }),
  })
  .openapi('Health');

const route = createRoute({
  method: 'get',
  path: '/',
  operationId: 'getHealth',
  security: [],
  summary: 'Liveness and readiness, with the database driver and migration level',
  responses: {
    200: { description: 'Serving', content: { 'application/json': { schema: healthSchema } } },
    503: {
      description: 'The database does not answer; Retry-After says when to look again',
      content: { 'application/json': { schema: healthSchema } },
    },
  },
});

export function healthRoutes(database: Database, logger: Logger) {
  return createRouter().openapi(route, async (c) => {
    try {
      const migrations = await getMigrationStatus(database);
      return c.json({ status: 'ok' as const, database: { driver: database.driver, migrations } }, 200);
    } catch (error) {
      // Either way this instance cannot serve, so a load balancer should route around it.
      const unreachable = isDatabaseUnavailable(error);
      if (unreachable) c.header('retry-after', String(databaseRetryAfterSeconds));
      else logger.error('health check failed', errorFields(error));
      return c.json(
        {
          status: 'unavailable' as const,
          code: unreachable ? ('database_unavailable' as const) : ('database_error' as const),
          database: { driver: database.driver },
        },
        503,
      );
    }
  });
}
