import type { PluginMigrations } from '../database';
/** What the postgres globalSetup hands to test workers through vitest's provide/inject. */
export interface PostgresTestServer {
  /** Connection URL for CREATE/DROP DATABASE (the server's maintenance database). */
  adminUrl: string;
  /** A database migrated once; each test database is a copy of it. */
  templateDatabase: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    paylinksPostgres: PostgresTestServer;
  }
}

export const PROVIDED_KEY = 'paylinksPostgres' as const;

/** Same server, another database name; keeps credentials, host and query parameters. */
export function databaseUrlFor(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** What dbTestProjects({ pluginMigrations }) put into the project's environment. */
export function pluginMigrationsFrom(env: Record<string, string | undefined>): PluginMigrations[] {
  const raw = env.PAYLINKS_TEST_PLUGIN_MIGRATIONS;
  return raw ? (JSON.parse(raw) as PluginMigrations[]) : [];
}
