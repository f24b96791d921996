import { type Database, getMigrationStatus } from '@paylinks/db';
import { Hono } from 'hono';

/** Liveness and readiness in one: answers 503 when the database does not answer. */
export function healthRoutes(database: Database) {
  return new Hono().get('/', async (c) => {
    try {
      const migrations = await getMigrationStatus(database);
      return c.json({ status: 'ok', database: { driver: database.driver, migrations } });
    } catch {
      return c.json({ status: 'unavailable', database: { driver: database.driver } }, 503);
    }
  });
}
