import type { TestProjectInlineConfiguration } from 'vitest/config';

/** Absolute path of the globalSetup the `postgres` project uses (for hand-written configs). */
export declare const postgresGlobalSetupPath: string;
/** 'src/**\/*.test.ts' (the unit project excludes the integration files from it). */
export declare const UNIT_TESTS: string;
/** 'src/**\/*.int.test.ts', run once by the `pglite` project and once by `postgres`. */
export declare const INTEGRATION_TESTS: string;
/** 'src/**\/*.resilience.test.ts': excluded from the three projects, run by `pnpm test:resilience`. */
export declare const RESILIENCE_TESTS: string;

/**
 * The three vitest projects of every package with database tests:
 *  - `unit`: unit tests, no database;
 *  - `pglite` and `postgres`: the same integration files once per driver, with
 *    PAYLINKS_TEST_DRIVER set so openTestDatabase() knows which to open. Only `postgres` gets the
 *    globalSetup that starts (or connects to) a server. vitest prints the project name beside
 *    each file, so every result shows its driver.
 *
 *   // vitest.config.ts
 *   import { dbTestProjects } from '@paylinks/db/vitest-projects';
 *   export default defineConfig({ test: { projects: dbTestProjects(import.meta.dirname) } });
 */
export declare function dbTestProjects(
  packageDir: string,
  options?: {
    /** Payment-type plugins' migrations every test database gets after the core ones. */
    pluginMigrations?: { folder: string; table: string }[];
  },
): TestProjectInlineConfiguration[];

export declare const PLUGIN_MIGRATIONS_ENV: string;
