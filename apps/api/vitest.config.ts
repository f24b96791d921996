import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { dbTestProjects } from '@paylinks/db/vitest-projects';
import { defineConfig } from 'vitest/config';

// Integration tests may start real server processes (src/testing/server-process.ts): the bundle
// they run is built once per test run, before any of them starts.
const buildServer = './src/testing/build-server.global.ts';

// Test databases carry the installed type plugins' tables, like the app's own at start. Spelled out
// here because a config cannot load the plugins' TypeScript; keep it in step with
// src/payment-types/installed-payment-types.ts (payment-type-migrations.int.test.ts checks it).
const packageDir = (name: string) => dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
const pluginMigrations = [
  { folder: join(packageDir('@paylinks/plugin-edu'), 'migrations'), table: '__drizzle_migrations_edu' },
];

export default defineConfig({
  test: {
    projects: dbTestProjects(import.meta.dirname, { pluginMigrations }).map(({ test }) => ({
      test:
        test?.name === 'unit'
          ? test
          : {
              ...test,
              globalSetup: [...[test?.globalSetup ?? []].flat(), buildServer],
              // Each file opens its own database and app, and no test mocks a module: a worker may keep
              // the modules it loaded (hono, better-auth, drizzle, zod, the compiled OpenAPI contract
              // check) from one file to the next instead of importing and compiling them again.
              isolate: false,
            },
    })),
  },
});
