import { createRoute, z } from '@hono/zod-openapi';
import { type Database, getMigrationStatus } from '@paylinks/db';
import { createRouter } from '../http/router.js';

const healthSchema = z
  .object({
    status: z.enum(['ok', 'unavailable']),
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
  summary: 'Liveness and readiness, with the database driver and migration level',
  responses: {
    200: { description: 'Serving', content: { 'application/json': { schema: healthSchema } } },
    503: {
      description: 'The database does not answer',
      content: { 'application/json': { schema: healthSchema } },
    },
  },
});

export function healthRoutes(database: Database) {
  return createRouter().openapi(route, async (c) => {
    try {
      const migrations = await getMigrationStatus(database);
      return c.json({ status: 'ok' as const, database: { driver: database.driver, migrations } }, 200);
    } catch {
      return c.json({ status: 'unavailable' as const, database: { driver: database.driver } }, 503);
    }
  });
}
