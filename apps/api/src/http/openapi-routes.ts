import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { completeDocument, type OpenApiDocument } from './openapi-document.js';

const swaggerUiDir = (
  createRequire(import.meta.url)('swagger-ui-dist') as { getAbsoluteFSPath(): string }
).getAbsoluteFSPath();
const swaggerFiles: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

const docsPage = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Paylinks API</title>
  <link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
  <div id="docs"></div>
  <script src="/api/docs/swagger-ui-bundle.js"></script>
  <script src="/api/docs/init.js"></script>
</body>
</html>`;

/**
 * The docs page's policy: Swagger UI's script, stylesheet and init file are our own files, it fetches
 * /api/openapi.json from here, and its CSS draws icons from data: URLs. Checked in Chromium: the page
 * renders every operation with no policy violation.
 */
export const docsPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const initScript = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#docs', deepLinking: true });`;

/**
 * /api/openapi.json (OpenAPI 3.1, generated from the routes' zod schemas) and /api/docs, a
 * readable page served entirely from our own files so it works offline. Both are public. The
 * document names PUBLIC_URL as its server.
 */
export function openApiRoutes<E extends Env>(app: OpenAPIHono<E>, publicUrl: string): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key from POST /api/api-keys',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'paylinks.session_token',
    description:
      'The session cookie from sign-up or POST /api/auth/sign-in/email (mutations need our Origin)',
  });
  // Built at the first request, once every route (registered after this call) is in the registry.
  let document: OpenApiDocument | undefined;
  app.get('/api/openapi.json', (c) => {
    document ??= completeDocument(
      app.getOpenAPI31Document({
        openapi: '3.1.0',
        info: {
          title: 'Paylinks API',
          version: '1.0.0',
          description:
            'Payment links for CRMs. Errors are application/problem+json with a stable `code` and the `field` at fault.',
        },
        security: [{ apiKey: [] }, { session: [] }],
      }) as unknown as OpenApiDocument,
      publicUrl,
    );
    return c.json(document);
  });
  app.get('/api/docs', (c) => c.html(docsPage, 200, { 'content-security-policy': docsPolicy }));
  app.get('/api/docs/init.js', (c) =>
    c.body(initScript, 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  );
  app.get('/api/docs/:file', async (c) => {
    const file = c.req.param('file');
    const type = swaggerFiles[file];
    if (!type) return c.notFound();
    return c.body(await readFile(join(swaggerUiDir, file)), 200, {
      'content-type': type,
      'cache-control': 'public, max-age=86400',
    });
  });
}
