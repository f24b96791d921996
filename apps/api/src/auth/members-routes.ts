import { createRoute, z } from '@hono/zod-openapi';
import { type PaylinksDb, schema } from '@paylinks/db';
import { and, asc, eq } from 'drizzle-orm';
import { ProblemError } from '../http/problem.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import { apiKeyInWorkspace } from './api-keys-routes.js';
import { type MemberEnv, memberRoles } from './caller.js';
import { requireRole } from './require-member.js';

const memberSchema = z
  .object({
    userId: z.uuid(),
    name: z.string(),
    email: z.string(),
    role: z.enum(memberRoles),
    addedAt: z.iso.datetime(),
  })
  .openapi('Member');

const listRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listMembers',
  tags: ['Team'],
  summary: 'Team members of the workspace',
  responses: {
    200: {
      description: 'Members',
      content: { 'application/json': { schema: z.object({ members: z.array(memberSchema) }) } },
    },
    ...problemResponses(401),
  },
});

// Members join only by accepting an invitation link; this route once attached accounts silently.
const addRoute = createRoute({
  method: 'post',
  path: '/',
  operationId: 'addMember',
  tags: ['Team'],
  deprecated: true,
  summary: 'Gone: invite people with POST /api/invitations; they join by accepting the link',
  responses: { ...problemResponses(401, 410) },
});

const removeRoute = createRoute({
  method: 'delete',
  path: '/{userId}',
  operationId: 'removeMember',
  tags: ['Team'],
  summary:
    'Remove a team member (owner only; the owner cannot be removed); ends their sessions in this workspace and deletes their API keys for it',
  request: { params: z.object({ userId: z.uuid() }) },
  responses: { 204: { description: 'Removed' }, ...problemResponses(401, 403, 404, 422) },
});

const changeRoleRoute = createRoute({
  method: 'patch',
  path: '/{userId}',
  operationId: 'changeMemberRole',
  tags: ['Team'],
  summary: "Change a team member's role (owner only; the owner's own role stays)",
  request: {
    params: z.object({ userId: z.uuid() }),
    body: {
      required: true,
      content: {
        'application/json': { schema: z.object({ role: z.enum(['admin', 'member']) }).strict() },
      },
    },
  },
  responses: {
    200: {
      description: 'The member with their new role',
      content: { 'application/json': { schema: memberSchema } },
    },
    ...problemResponses(401, 403, 404, 422),
  },
});

export function membersRoutes(deps: { db: PaylinksDb }) {
  const { db } = deps;
  const list = (workspaceId: string) =>
    db
      .select({
        userId: schema.member.userId,
        name: schema.user.name,
        email: schema.user.email,
        role: schema.member.role,
        addedAt: schema.member.createdAt,
      })
      .from(schema.member)
      .innerJoin(schema.user, eq(schema.user.id, schema.member.userId))
      .where(eq(schema.member.organizationId, workspaceId))
      .orderBy(asc(schema.member.createdAt));
  const present = (m: Awaited<ReturnType<typeof list>>[number]) => ({
    ...m,
    role: m.role as (typeof memberRoles)[number],
    addedAt: m.addedAt.toISOString(),
  });

  return createRouter<MemberEnv>()
    .openapi(listRoute, async (c) =>
      c.json({ members: (await list(c.get('caller').workspaceId)).map(present) }, 200),
    )
    .openapi(addRoute, () => {
      throw new ProblemError(410, {
        code: 'invitation_required',
        message: 'Members join by invitation: POST /api/invitations with their email and role.',
      });
    })
    .openapi(changeRoleRoute, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner']);
      const { userId } = c.req.valid('param');
      const { role } = c.req.valid('json');
      const inWorkspace = and(
        eq(schema.member.organizationId, caller.workspaceId),
        eq(schema.member.userId, userId),
      );
      const [target] = await db.select({ role: schema.member.role }).from(schema.member).where(inWorkspace);
      if (!target)
        throw new ProblemError(404, { code: 'not_found', field: 'userId', message: 'No such member.' });
      // One owner per workspace: handing it over would need its own, deliberate flow.
      if (target.role === 'owner') {
        throw new ProblemError(422, {
          code: 'owner_role_fixed',
          field: 'userId',
          message: "The owner's role cannot be changed.",
        });
      }
      await db.update(schema.member).set({ role }).where(inWorkspace);
      const [changed] = (await list(caller.workspaceId)).filter((m) => m.userId === userId);
      return c.json(present(changed!), 200);
    })
    .openapi(removeRoute, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner']);
      const { userId } = c.req.valid('param');
      const [target] = await db
        .select({ role: schema.member.role })
        .from(schema.member)
        .where(and(eq(schema.member.organizationId, caller.workspaceId), eq(schema.member.userId, userId)));
      if (!target)
        throw new ProblemError(404, { code: 'not_found', field: 'userId', message: 'No such member.' });
      if (target.role === 'owner') {
        throw new ProblemError(422, {
          code: 'owner_cannot_be_removed',
          field: 'userId',
          message: 'The owner stays.',
        });
      }
      await db.transaction(async (tx) => {
        await tx
          .delete(schema.member)
          .where(and(eq(schema.member.organizationId, caller.workspaceId), eq(schema.member.userId, userId)));
        // Gone at once rather than merely refused: re-invited later, the old cookie and keys stay dead.
        // Sessions open on their other workspaces are theirs to keep.
        await tx
          .delete(schema.session)
          .where(
            and(
              eq(schema.session.userId, userId),
              eq(schema.session.activeOrganizationId, caller.workspaceId),
            ),
          );
        await tx
          .delete(schema.apikey)
          .where(and(eq(schema.apikey.referenceId, userId), apiKeyInWorkspace(caller.workspaceId)));
      });
      return c.body(null, 204);
    });
}
