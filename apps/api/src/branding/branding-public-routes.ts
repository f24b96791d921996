import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../app-context.js';
import { notFound } from '../http/not-found.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import { tokenParams } from '../public-pay/public-pay-schemas.js';
import { rateLimit } from '../public-pay/rate-limit.js';
import { passesLight } from './accent-contrast.js';
import { logoParams, publicBrandingSchema, tags, themeParams } from './branding-schemas.js';
import { findLogo } from './branding-store.js';
import { logoContentTypes } from './logo-image.js';
import { themePath, themeStylesheet } from './theme-stylesheet.js';
import { loadLinkBranding } from './workspace-branding.js';

/** Logo and theme URLs change with their content, so a browser and any cache may keep them for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

const binary = z.string().openapi({ format: 'binary' });

const logoRoute = createRoute({
  method: 'get',
  path: '/logo/{publicId}/{sha256}',
  operationId: 'getBrandingLogo',
  security: [],
  tags,
  summary: "A workspace's logo, as shown on its payer pages",
  description:
    'The URL changes with the bytes, so the answer is immutable; `If-None-Match` with its ETag answers 304. ' +
    "A logo that was replaced or removed, or another workspace's id with this hash, is 404.",
  request: { params: logoParams },
  responses: {
    200: {
      description: 'The image',
      headers: { ETag: { schema: { type: 'string' } }, 'Cache-Control': { schema: { type: 'string' } } },
      content: Object.fromEntries(logoContentTypes.map((type) => [type, { schema: binary }])),
    },
    304: { description: 'The copy the client holds is current' },
    ...problemResponses(404, 429),
  },
});

const themeRoute = createRoute({
  method: 'get',
  path: '/theme/{file}',
  operationId: 'getBrandingTheme',
  security: [],
  tags,
  summary: "The payer pages' colours for an accent colour (`<rrggbb>.css`)",
  description: 'Only for colours the contrast check accepts; any other is 404.',
  request: { params: themeParams },
  responses: {
    200: { description: 'The stylesheet', content: { 'text/css': { schema: z.string() } } },
    ...problemResponses(404),
  },
});

const linkBrandingRoute = createRoute({
  method: 'get',
  path: '/pay/{token}',
  operationId: 'getPaymentPageBranding',
  security: [],
  tags,
  summary: "The branding of a payment link's workspace, for its payer pages",
  description:
    'Answers for every link the token names, expired, deleted and paid ones too, since each of its pages ' +
    'shows the brand; records nothing. Only what payers see: nothing else about the workspace.',
  request: { params: tokenParams },
  responses: {
    200: { description: 'The branding', content: { 'application/json': { schema: publicBrandingSchema } } },
    ...problemResponses(404, 429),
  },
});

/** What payers' browsers fetch: no team member, and nothing beyond what the page shows. */
export function brandingPublicRoutes(ctx: AppContext) {
  const router = createRouter();
  // Both read the database for anyone who asks; the theme is computed from its URL alone.
  router.use('/logo/*', rateLimit(ctx, 'brand'));
  router.use('/pay/*', rateLimit(ctx, 'brand'));
  return router
    .openapi(logoRoute, async (c) => {
      const { publicId, sha256 } = c.req.valid('param');
      const logo = await findLogo(ctx.db, publicId, sha256);
      if (!logo) throw notFound('sha256', 'logo');
      const etag = `"${sha256}"`;
      const headers = { etag, 'cache-control': IMMUTABLE };
      if (
        c.req
          .header('if-none-match')
          ?.split(/\s*,\s*/)
          .includes(etag)
      )
        return c.body(null, 304, headers);
      return c.body(logo.bytes as Uint8Array<ArrayBuffer>, 200, {
        ...headers,
        'content-type': logo.contentType,
      });
    })
    .openapi(themeRoute, (c) => {
      const accent = `#${c.req.valid('param').file.slice(0, 6)}`;
      const css = themeStylesheet(accent);
      if (!css) throw notFound('file', 'theme');
      return c.body(css, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': IMMUTABLE });
    })
    .openapi(linkBrandingRoute, async (c) => {
      const branding = await loadLinkBranding(ctx.db, c.req.valid('param').token);
      if (!branding) throw notFound('token', 'payment link');
      const { accentColor } = branding;
      const stylesheetUrl = accentColor && passesLight(accentColor) ? themePath(accentColor) : null;
      return c.json({ ...branding, stylesheetUrl }, 200);
    });
}
