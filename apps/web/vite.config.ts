import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [sveltekit()],
  // The API runs from its own build (dist/embedded.js), loaded by Node at run time: bundled into the
  // SvelteKit server its createRequire lookups (swagger-ui-dist, the migrations) would resolve from
  // the wrong place.
  ssr: { external: ['@paylinks/api'] },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'journeys',
          include: ['tests/journeys/**/*.test.ts'],
          environment: 'node',
          // One built server and one browser for every journey file (tests/support/journey-setup.ts).
          globalSetup: ['tests/support/journey-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
