import { randomBytes } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { type PaylinksDb, schema } from '@paylinks/db';
import { and, asc, eq } from 'drizzle-orm';
import { ProblemError } from '../http/problem.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import type { Auth } from './auth.js';
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

const addMemberBody = z
  .object({
    email: z.email().max(254),
    name: z.string().trim().min(1).max(100),
    role: z.enum(['admin', 'member']),
  })
  .openapi('AddMember');

const addedMember = z
  .object({
    member: memberSchema,
    temporaryPassword: z
      .string()
      .optional()
      .openapi({ description: 'Only for a new account; shown once. The member signs in with it.' }),
  })
  .openapi('AddedMember');

const listRoute = createRoute({
  method: 'get',
  path: '/',
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

const addRoute = createRoute({
  method: 'post',
  path: '/',
  tags: ['Team'],
  summary: 'Add a team member (owner: any role but owner; admin: members only)',
  request: { body: { required: true, content: { 'application/json': { schema: addMemberBody } } } },
  responses: {
    201: { description: 'Added', content: { 'application/json': { schema: addedMember } } },
    ...problemResponses(401, 403, 409, 422),
  },
});

const removeRoute = createRoute({
  method: 'delete',
  path: '/{userId}',
  tags: ['Team'],
  summary: 'Remove a team member (owner only; the owner cannot be removed)',
  request: { params: z.object({ userId: z.uuid() }) },
  responses: { 204: { description: 'Removed' }, ...problemResponses(401, 403, 404, 422) },
});

export function membersRoutes(deps: { auth: Auth; db: PaylinksDb }) {
  const { auth, db } = deps;
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
    .openapi(addRoute, async (c) => {
      const caller = c.get('caller');
      const { email, name, role } = c.req.valid('json');
      requireRole(caller, role === 'admin' ? ['owner'] : ['owner', 'admin']);
      const context = await auth.$context;
      let user = (await context.internalAdapter.findUserByEmail(email.toLowerCase()))?.user ?? null;
      let temporaryPassword: string | undefined;
      if (!user) {
        // Same writes as sign-up (user + credential account), without opening a session.
        temporaryPassword = randomBytes(12).toString('base64url');
        user = await context.internalAdapter.createUser(
          { email: email.toLowerCase(), name, emailVerified: false },
          { method: 'admin' },
        );
        await context.internalAdapter.linkAccount({
          userId: user.id,
          providerId: 'credential',
          accountId: user.id,
          password: await context.password.hash(temporaryPassword),
        });
      }
      const [existing] = await db
        .select({ id: schema.member.id })
        .from(schema.member)
        .where(and(eq(schema.member.organizationId, caller.workspaceId), eq(schema.member.userId, user.id)));
      if (existing) {
        throw new ProblemError(409, { code: 'already_member', field: 'email', message: 'Already a member.' });
      }
      await db.insert(schema.member).values({ organizationId: caller.workspaceId, userId: user.id, role });
      const added = (await list(caller.workspaceId)).find((m) => m.userId === user.id)!;
      return c.json({ member: present(added), ...(temporaryPassword ? { temporaryPassword } : {}) }, 201);
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
      await db
        .delete(schema.member)
        .where(and(eq(schema.member.organizationId, caller.workspaceId), eq(schema.member.userId, userId)));
      return c.body(null, 204);
    });
}
