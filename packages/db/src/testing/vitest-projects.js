// Plain JavaScript on purpose: vitest.config.ts files load their imports from other packages
// with Node itself (Vite externalises every bare import when bundling a config), and Node 20
// cannot run TypeScript. Types live in vitest-projects.d.ts beside this file.
import { fileURLToPath } from 'node:url';

export const postgresGlobalSetupPath = fileURLToPath(new URL('./postgres-global-setup.ts', import.meta.url));

export const UNIT_TESTS = 'src/**/*.test.ts';
export const INTEGRATION_TESTS = 'src/**/*.int.test.ts';
/** Crash, restart, fuzz and soak tests: only `pnpm test:resilience` runs them. */
export const RESILIENCE_TESTS = 'src/**/*.resilience.test.ts';

/** Names the environment variable that carries the plugin migrations into test databases. */
export const PLUGIN_MIGRATIONS_ENV = 'PAYLINKS_TEST_PLUGIN_MIGRATIONS';

/**
 * @param {string} packageDir
 * @param {{ pluginMigrations?: { folder: string; table: string }[] }} [options]
 */
export function dbTestProjects(packageDir, options = {}) {
  const pluginEnv = options.pluginMigrations?.length
    ? { [PLUGIN_MIGRATIONS_ENV]: JSON.stringify(options.pluginMigrations) }
    : {};
  const integration = {
    root: packageDir,
    include: [INTEGRATION_TESTS],
    // Opening PGlite or copying a PostgreSQL database is slower than a unit test's 5 s budget
    // allows on a loaded CI machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  };
  return [
    {
      test: {
        name: 'unit',
        root: packageDir,
        include: [UNIT_TESTS],
        exclude: [INTEGRATION_TESTS, RESILIENCE_TESTS, '**/node_modules/**'],
      },
    },
    { test: { ...integration, name: 'pglite', env: { PAYLINKS_TEST_DRIVER: 'pglite', ...pluginEnv } } },
    {
      test: {
        ...integration,
        name: 'postgres',
        env: { PAYLINKS_TEST_DRIVER: 'postgres', ...pluginEnv },
        globalSetup: [postgresGlobalSetupPath],
      },
    },
  ];
}
