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
    // Vitest's default on 2 cores is one worker, and this suite then kept about 1.3 of them busy: many
    // files wait on server processes, leases and sockets. Two workers on a quiet 2-core machine: 266 s
    // instead of 345 s, every file passing, the slowest test 15 s of its 30 s timeout.
    maxWorkers: 2,
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
