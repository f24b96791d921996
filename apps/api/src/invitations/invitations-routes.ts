import { createRoute, z } from '@hono/zod-openapi';
import { type PaylinksDb, schema } from '@paylinks/db';
import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import type { Clock } from '../app-context.js';
import type { MemberEnv } from '../auth/caller.js';
import { requireRole } from '../auth/require-member.js';
import { ProblemError } from '../http/problem.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import type { Logger } from '../logger.js';
import type { Mailer } from '../mail/mailer.js';
import { createdInvitationSchema, inviteBody, pendingInvitationSchema } from './invitation-schemas.js';
import {
  hashInvitationToken,
  invitationLifetimeMs,
  invitationLink,
  newInvitationToken,
} from './invitation-token.js';
import { mailInvitation } from './mail-invitation.js';

const createRouteDef = createRoute({
  method: 'post',
  path: '/',
  operationId: 'createInvitation',
  tags: ['Team'],
  summary: 'Invite someone by email (owner: admin or member; admin: member). Answers the one-time link once.',
  request: { body: { required: true, content: { 'application/json': { schema: inviteBody } } } },
  responses: {
    201: { description: 'Invited', content: { 'application/json': { schema: createdInvitationSchema } } },
    ...problemResponses(401, 403, 409, 422),
  },
});

const listRouteDef = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listInvitations',
  tags: ['Team'],
  summary: 'Pending invitations of the workspace (never their links)',
  responses: {
    200: {
      description: 'Pending invitations',
      content: {
        'application/json': { schema: z.object({ invitations: z.array(pendingInvitationSchema) }) },
      },
    },
    ...problemResponses(401, 403),
  },
});

const revokeRouteDef = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'revokeInvitation',
  tags: ['Team'],
  summary: 'Withdraw a pending invitation; its link stops working at once',
  request: { params: z.object({ id: z.uuid() }) },
  responses: { 204: { description: 'Revoked' }, ...problemResponses(401, 403, 404, 422) },
});

export interface InvitationsDeps {
  db: PaylinksDb;
  clock: Clock;
  logger: Logger;
  publicUrl: string;
  mailer: Mailer | undefined;
}

export function invitationsRoutes(deps: InvitationsDeps) {
  const { db, clock } = deps;
  const pending = (workspaceId: string) =>
    and(
      eq(schema.memberInvitations.workspaceId, workspaceId),
      isNull(schema.memberInvitations.acceptedAt),
      isNull(schema.memberInvitations.revokedAt),
      gt(schema.memberInvitations.expiresAt, clock.now()),
    );

  return createRouter<MemberEnv>()
    .openapi(createRouteDef, async (c) => {
      const caller = c.get('caller');
      const { role } = c.req.valid('json');
      const email = c.req.valid('json').email.toLowerCase();
      requireRole(caller, role === 'admin' ? ['owner'] : ['owner', 'admin']);
      const token = newInvitationToken();
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + invitationLifetimeMs);
      const created = await db.transaction(async (tx) => {
        // Members are listed to the team anyway, so saying so reveals nothing about accounts.
        const [already] = await tx
          .select({ id: schema.member.id })
          .from(schema.member)
          .innerJoin(schema.user, eq(schema.user.id, schema.member.userId))
          .where(and(eq(schema.member.organizationId, caller.workspaceId), eq(schema.user.email, email)));
        if (already) {
          throw new ProblemError(409, {
            code: 'already_member',
            field: 'email',
            message: 'This person is already a member of the workspace.',
          });
        }
        // A new invitation replaces a pending one to the same address: one live link per person.
        await tx
          .update(schema.memberInvitations)
          .set({ revokedAt: now })
          .where(and(pending(caller.workspaceId), eq(schema.memberInvitations.email, email)));
        const [row] = await tx
          .insert(schema.memberInvitations)
          .values({
            workspaceId: caller.workspaceId,
            email,
            role,
            tokenHash: hashInvitationToken(token),
            invitedBy: caller.userId,
            createdAt: now,
            expiresAt,
          })
          .returning({ id: schema.memberInvitations.id });
        return row!;
      });
      const url = invitationLink(deps.publicUrl, token);
      // After the commit: the invitation stands whatever the mail server says.
      const mailed = await mailInvitation(deps, {
        invitationId: created.id,
        workspaceId: caller.workspaceId,
        inviterId: caller.userId,
        to: email,
        role,
        url,
        expiresAt,
      });
      return c.json({ id: created.id, email, role, expiresAt: expiresAt.toISOString(), url, mailed }, 201);
    })
    .openapi(listRouteDef, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner', 'admin']);
      const rows = await db
        .select()
        .from(schema.memberInvitations)
        .where(pending(caller.workspaceId))
        .orderBy(asc(schema.memberInvitations.createdAt));
      return c.json(
        {
          invitations: rows.map((row) => ({
            id: row.id,
            email: row.email,
            role: row.role as 'admin' | 'member',
            createdAt: row.createdAt.toISOString(),
            expiresAt: row.expiresAt.toISOString(),
          })),
        },
        200,
      );
    })
    .openapi(revokeRouteDef, async (c) => {
      const caller = c.get('caller');
      requireRole(caller, ['owner', 'admin']);
      const revoked = await db
        .update(schema.memberInvitations)
        .set({ revokedAt: clock.now() })
        .where(and(eq(schema.memberInvitations.id, c.req.valid('param').id), pending(caller.workspaceId)))
        .returning({ id: schema.memberInvitations.id });
      if (revoked.length === 0) {
        throw new ProblemError(404, {
          code: 'not_found',
          field: 'id',
          message: 'No such pending invitation.',
        });
      }
      return c.body(null, 204);
    });
}
