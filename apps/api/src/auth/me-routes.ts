import { createRoute, z } from '@hono/zod-openapi';
import { type PaylinksDb, schema } from '@paylinks/db';
import { eq } from 'drizzle-orm';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import { type MemberEnv, memberRoles } from './caller.js';

const meSchema = z
  .object({
    user: z.object({ id: z.uuid(), name: z.string(), email: z.string() }),
    workspace: z.object({ id: z.uuid(), name: z.string() }),
    role: z.enum(memberRoles),
    via: z.enum(['session', 'api-key']),
  })
  .openapi('Me');

const route = createRoute({
  method: 'get',
  path: '/',
  operationId: 'getMe',
  tags: ['Team'],
  summary: 'The signed-in team member, their workspace and role',
  responses: {
    200: { description: 'Current user', content: { 'application/json': { schema: meSchema } } },
    ...problemResponses(401),
  },
});

export function meRoutes(db: PaylinksDb) {
  return createRouter<MemberEnv>().openapi(route, async (c) => {
    const caller = c.get('caller');
    const [user] = await db
      .select({ id: schema.user.id, name: schema.user.name, email: schema.user.email })
      .from(schema.user)
      .where(eq(schema.user.id, caller.userId));
    const [workspace] = await db
      .select({ id: schema.workspaces.id, name: schema.workspaces.name })
      .from(schema.workspaces)
      .where(eq(schema.workspaces.id, caller.workspaceId));
    return c.json({ user: user!, workspace: workspace!, role: caller.role, via: caller.via }, 200);
  });
}
