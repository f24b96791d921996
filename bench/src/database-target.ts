import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '@paylinks/db';
import { startThrowawayCluster } from '@paylinks/db/testing';
import { sql } from 'drizzle-orm';

export type Driver = 'pglite' | 'postgres';

/** Where one driver's run keeps its data: a fresh database, removed afterwards. */
export interface DatabaseTarget {
  driver: Driver;
  /** What the product and the baseline are given: DATABASE_URL, or PAYLINKS_DATA_DIR. */
  databaseUrl?: string;
  dataDir?: string;
  /** Said in the report: which PostgreSQL (never its password). */
  description: string;
  remove(): Promise<void>;
}

export function pgliteTarget(runDir: string): DatabaseTarget {
  const dataDir = join(runDir, 'pglite-data');
  mkdirSync(runDir, { recursive: true });
  return {
    driver: 'pglite',
    dataDir,
    description: `PGlite in ${dataDir}`,
    remove: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/**
 * A database of its own on DATABASE_URL's server when that is set (the role needs CREATEDB), else
 * on a throwaway cluster from the local PostgreSQL binaries, as the integration tests use.
 */
export async function postgresTarget(databaseUrl: string | undefined): Promise<DatabaseTarget> {
  const cluster = databaseUrl ? undefined : await startThrowawayCluster();
  const adminUrl = databaseUrl ?? cluster!.adminUrl;
  const name = `paylinks_bench_${Date.now()}`;
  const admin = await openDatabase({ databaseUrl: adminUrl, migrate: false });
  try {
    await admin.db.execute(sql.raw(`create database ${name}`));
  } finally {
    await admin.close();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const server = `${url.hostname}:${url.port || 5432}`;
  return {
    driver: 'postgres',
    databaseUrl: url.toString(),
    description: cluster
      ? `PostgreSQL throwaway cluster on ${server}`
      : `PostgreSQL (DATABASE_URL) on ${server}, database ${name}`,
    remove: async () => {
      if (cluster) return cluster.stop();
      const again = await openDatabase({ databaseUrl: adminUrl, migrate: false });
      try {
        await again.db.execute(sql.raw(`drop database if exists ${name} with (force)`));
      } finally {
        await again.close();
      }
    },
  };
}
