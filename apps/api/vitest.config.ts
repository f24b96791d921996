import { dbTestProjects } from '@paylinks/db/vitest-projects';
import { defineConfig } from 'vitest/config';

// Integration tests may start real server processes (src/testing/server-process.ts): the bundle
// they run is built once per test run, before any of them starts.
const buildServer = './src/testing/build-server.global.ts';

export default defineConfig({
  test: {
    projects: dbTestProjects(import.meta.dirname).map(({ test }) => ({
      test:
        test?.name === 'unit'
          ? test
          : { ...test, globalSetup: [...[test?.globalSetup ?? []].flat(), buildServer] },
    })),
  },
});
