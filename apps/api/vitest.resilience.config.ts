import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { dbTestProjects, RESILIENCE_TESTS } from '@paylinks/db/vitest-projects';
import { defineConfig } from 'vitest/config';

// `pnpm test:resilience`: crashes, restarts, hostile input and a soak, against real server processes
// (the bundle built once by build-server.global.ts) on both drivers. Heavy by design, so the files run
// one at a time and never beside the ordinary suite.
const buildServer = './src/testing/build-server.global.ts';

const packageDir = (name: string) => dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
const pluginMigrations = [
  { folder: join(packageDir('@paylinks/plugin-edu'), 'migrations'), table: '__drizzle_migrations_edu' },
];

export default defineConfig({
  test: {
    fileParallelism: false,
    projects: dbTestProjects(import.meta.dirname, { pluginMigrations })
      .filter(({ test }) => test?.name !== 'unit')
      .map(({ test }) => ({
        test: {
          ...test,
          name: `resilience-${test?.name}`,
          include: [RESILIENCE_TESTS],
          testTimeout: 300_000,
          hookTimeout: 120_000,
          globalSetup: [...[test?.globalSetup ?? []].flat(), buildServer],
        },
      })),
  },
});
