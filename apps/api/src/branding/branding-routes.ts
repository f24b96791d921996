import { createRoute } from '@hono/zod-openapi';
import type { AppContext } from '../app-context.js';
import type { MemberEnv } from '../auth/caller.js';
import { requireRole } from '../auth/require-member.js';
import { ProblemError } from '../http/problem.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import {
  brandingSettingsSchema,
  LOGO_UPLOAD_DESCRIPTION,
  logoUploadContent,
  patchBrandingSchema,
  putBrandingSchema,
  tags,
} from './branding-schemas.js';
import { brandingSettings, removeLogo, saveBranding, saveLogo } from './branding-store.js';
import { acceptLogo } from './logo-image.js';

const settingsResponse = {
  description: "The workspace's branding",
  content: { 'application/json': { schema: brandingSettingsSchema } },
};
const ownersAndAdmins = 'Owners and admins only (403 `forbidden` for members).';

const getRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'getBranding',
  tags,
  summary: 'How payers see the workspace: name, logo, colour, support contact, thank-you message',
  description: ownersAndAdmins,
  responses: { 200: settingsResponse, ...problemResponses(403) },
});

const putRoute = createRoute({
  method: 'put',
  path: '/',
  operationId: 'putBranding',
  tags,
  summary: 'Set every branding field (null or empty clears one)',
  description: ownersAndAdmins,
  request: { body: { required: true, content: { 'application/json': { schema: putBrandingSchema } } } },
  responses: { 200: settingsResponse, ...problemResponses(403, 422) },
});

const patchRoute = createRoute({
  method: 'patch',
  path: '/',
  operationId: 'patchBranding',
  tags,
  summary: 'Change the branding fields sent, keep the others',
  description: ownersAndAdmins,
  request: { body: { required: true, content: { 'application/json': { schema: patchBrandingSchema } } } },
  responses: { 200: settingsResponse, ...problemResponses(403, 422) },
});

const putLogoRoute = createRoute({
  method: 'put',
  path: '/logo',
  operationId: 'putBrandingLogo',
  tags,
  summary: 'Upload the logo (replaces the one before)',
  description: `${LOGO_UPLOAD_DESCRIPTION} ${ownersAndAdmins}`,
  request: { body: { required: true, content: logoUploadContent } },
  responses: {
    200: settingsResponse,
    413: {
      description: 'The body is larger than 200 KB (`payload_too_large`)',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    },
    ...problemResponses(403, 422),
  },
});

const deleteLogoRoute = createRoute({
  method: 'delete',
  path: '/logo',
  operationId: 'deleteBrandingLogo',
  tags,
  summary: 'Remove the logo; its URL answers 404 from then on',
  description: ownersAndAdmins,
  responses: { 200: settingsResponse, ...problemResponses(403) },
});

/** The settings screen's API. Every route checks the role: branding speaks for the whole workspace. */
export function brandingRoutes(ctx: AppContext) {
  const router = createRouter<MemberEnv>();
  const settings = (workspaceId: string) => brandingSettings(ctx.db, workspaceId);
  return router
    .openapi(getRoute, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner', 'admin']);
      return c.json(await settings(caller.workspaceId), 200);
    })
    .openapi(putRoute, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner', 'admin']);
      await saveBranding(ctx.db, caller.workspaceId, c.req.valid('json'), ctx.clock.now());
      return c.json(await settings(caller.workspaceId), 200);
    })
    .openapi(patchRoute, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner', 'admin']);
      await saveBranding(ctx.db, caller.workspaceId, c.req.valid('json'), ctx.clock.now());
      return c.json(await settings(caller.workspaceId), 200);
    })
    .openapi(putLogoRoute, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner', 'admin']);
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const logo = acceptLogo(bytes, c.req.header('content-type') ?? '');
      if (!('sha256' in logo)) throw new ProblemError(422, { ...logo, field: 'logo' });
      await saveLogo(ctx.db, caller.workspaceId, logo, ctx.clock.now());
      return c.json(await settings(caller.workspaceId), 200);
    })
    .openapi(deleteLogoRoute, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner', 'admin']);
      await removeLogo(ctx.db, caller.workspaceId, ctx.clock.now());
      return c.json(await settings(caller.workspaceId), 200);
    });
}
