// Plain JavaScript on purpose: vitest.config.ts files load their imports from other packages
// with Node itself (Vite externalises every bare import when bundling a config), and Node 20
// cannot run TypeScript. Types live in vitest-projects.d.ts beside this file.
import { fileURLToPath } from 'node:url';

export const postgresGlobalSetupPath = fileURLToPath(new URL('./postgres-global-setup.ts', import.meta.url));

export const UNIT_TESTS = 'src/**/*.test.ts';
export const INTEGRATION_TESTS = 'src/**/*.int.test.ts';

/** @param {string} packageDir */
export function dbTestProjects(packageDir) {
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
        exclude: [INTEGRATION_TESTS, '**/node_modules/**'],
      },
    },
    { test: { ...integration, name: 'pglite', env: { PAYLINKS_TEST_DRIVER: 'pglite' } } },
    {
      test: {
        ...integration,
        name: 'postgres',
        env: { PAYLINKS_TEST_DRIVER: 'postgres' },
        globalSetup: [postgresGlobalSetupPath],
      },
    },
  ];
}
