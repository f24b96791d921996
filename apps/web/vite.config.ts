import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    paraglideVitePlugin({
      project: './project.inlang',
      outdir: './src/lib/paraglide',
      // ?lang= (the switcher) first, then the choice remembered in the cookie, then Accept-Language.
      // `custom-query` is defined in src/lib/i18n/locale-handle.ts.
      strategy: ['custom-query', 'cookie', 'preferredLanguage', 'baseLocale'],
      // Types for svelte-check; the same output `pnpm paraglide` writes before a typecheck.
      emitTsDeclarations: true,
    }),
    // The CRM's CSS only: crm.css is imported by the (app) and (auth) layouts, never by /pay.
    tailwindcss(),
    sveltekit(),
  ],
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
          // `npm start` itself (serve.js, its worker processes), started from the build; no browser.
          name: 'server',
          include: ['tests/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/built-product-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
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
