import { createRoute } from '@hono/zod-openapi';
import type { PaylinksDb } from '@paylinks/db';
import type { Clock } from '../app-context.js';
import type { Auth } from '../auth/auth.js';
import { watchAuthDatabase } from '../auth/auth-database-failures.js';
import { isSameOriginMutation } from '../auth/origin.js';
import { ProblemError } from '../http/problem.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import { acceptInvitation, findUserIdByEmail, openInvitation, signInRequired } from './accept-invitation.js';
import { acceptBody, acceptedSchema, invitationViewSchema, tokenParam } from './invitation-schemas.js';
import { hashInvitationToken } from './invitation-token.js';

const viewRoute = createRoute({
  method: 'get',
  path: '/{token}',
  operationId: 'getInvitation',
  security: [],
  tags: ['Team'],
  summary: 'What an invitation link offers (public: holding the link is the proof)',
  request: { params: tokenParam },
  responses: {
    200: { description: 'The invitation', content: { 'application/json': { schema: invitationViewSchema } } },
    ...problemResponses(404, 410),
  },
});

const acceptRoute = createRoute({
  method: 'post',
  path: '/{token}',
  operationId: 'acceptInvitation',
  security: [],
  tags: ['Team'],
  summary:
    'Accept an invitation: a new account sets name and password and is signed in; an existing account must be signed in as the invited email',
  request: {
    params: tokenParam,
    body: { required: false, content: { 'application/json': { schema: acceptBody } } },
  },
  responses: {
    201: {
      description: 'Joined the workspace (and signed in)',
      content: { 'application/json': { schema: acceptedSchema } },
    },
    ...problemResponses(401, 403, 404, 409, 410, 422),
  },
});

const required = (field: 'name' | 'password') =>
  new ProblemError(422, {
    code: 'required',
    field,
    message: `A new account needs a ${field}.`,
  });

export function acceptInvitationRoutes(deps: {
  auth: Auth;
  db: PaylinksDb;
  clock: Clock;
  ownOrigin: string;
}) {
  const { auth, db, clock } = deps;
  return createRouter()
    .openapi(viewRoute, async (c) => {
      const invitation = await openInvitation(
        db,
        hashInvitationToken(c.req.valid('param').token),
        clock.now(),
      );
      const hasAccount = (await findUserIdByEmail(db, invitation.email)) !== null;
      return c.json(
        {
          workspace: { name: invitation.workspaceName },
          role: invitation.role,
          email: invitation.email,
          expiresAt: invitation.expiresAt.toISOString(),
          next: hasAccount ? ('sign_in' as const) : ('set_password' as const),
        },
        200,
      );
    })
    .openapi(acceptRoute, async (c) => {
      // A foreign page must not make a signed-in visitor join, or sign them into an account it chose.
      if (!isSameOriginMutation(c.req.method, c.req.raw.headers, deps.ownOrigin)) {
        throw new ProblemError(403, {
          code: 'cross_origin_refused',
          message: 'Cross-origin request refused.',
        });
      }
      const tokenHash = hashInvitationToken(c.req.valid('param').token);
      const body = c.req.valid('json') ?? {};
      // Refuse a dead link before hashing a password for it.
      const invitation = await openInvitation(db, tokenHash, clock.now());
      const existingUserId = await findUserIdByEmail(db, invitation.email);

      if (existingUserId) {
        const { value: session } = await watchAuthDatabase(
          () => auth.api.getSession({ headers: c.req.raw.headers }),
          (found) => !found,
        );
        if (!session) throw signInRequired();
        if (session.user.id !== existingUserId) {
          throw new ProblemError(403, {
            code: 'wrong_account',
            field: 'token',
            message: 'This invitation is for another email: sign out, then sign in as the invited email.',
          });
        }
        const accepted = await acceptInvitation(db, {
          tokenHash,
          now: clock.now(),
          account: { kind: 'existing', userId: existingUserId, sessionToken: session.session.token },
        });
        return c.json(
          {
            user: { id: session.user.id, name: session.user.name, email: session.user.email },
            workspace: { id: accepted.workspaceId, name: accepted.workspaceName },
            role: accepted.role,
          },
          201,
        );
      }

      if (!body.name) throw required('name');
      if (!body.password) throw required('password');
      const context = await auth.$context;
      const accepted = await acceptInvitation(db, {
        tokenHash,
        now: clock.now(),
        account: { kind: 'new', name: body.name, passwordHash: await context.password.hash(body.password) },
      });
      // A real sign-in opens the session, so its cookie is exactly what signing in later gives.
      const signedIn = await watchAuthDatabase(
        () =>
          auth.api.signInEmail({
            body: { email: accepted.email, password: body.password! },
            headers: c.req.raw.headers,
            returnHeaders: true,
          }),
        () => false,
      );
      for (const cookie of signedIn.value.headers.getSetCookie())
        c.header('set-cookie', cookie, { append: true });
      return c.json(
        {
          user: { id: accepted.userId, name: body.name, email: accepted.email },
          workspace: { id: accepted.workspaceId, name: accepted.workspaceName },
          role: accepted.role,
        },
        201,
      );
    });
}
