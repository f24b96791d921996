import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  kit: {
    adapter: adapter(),
    // SvelteKit's own check answers 403 to every form-encoded POST without our Origin, before `handle`
    // runs: that would refuse providers' webhooks (form-encoded, no Origin) on their way to /api/.
    // hooks.server.ts checks Origin itself on every other non-/api/ mutation (origin-check.ts).
    csrf: { trustedOrigins: ['*'] },
    csp: {
      mode: 'hash',
      directives: {
        'default-src': ['none'],
        'script-src': ['self'],
        // The route announcer of hydrated pages carries one fixed style attribute.
        'style-src': ['self', 'unsafe-hashes', 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='],
        'img-src': ['self', 'data:'],
        'font-src': ['self'],
        // Client-side navigation fetches each page's data from our own origin.
        'connect-src': ['self'],
        'form-action': ['self'],
        'base-uri': ['none'],
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;
