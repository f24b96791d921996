import { createRoute, z } from '@hono/zod-openapi';
import { type PaylinksDb, type PaylinksTransaction, schema } from '@paylinks/db';
import { APIError } from 'better-auth/api';
import { sql } from 'drizzle-orm';
import type { Clock } from '../app-context.js';
import { ProblemError } from '../http/problem.js';
import { problemResponses } from '../http/problem-schema.js';
import { createRouter } from '../http/router.js';
import { provisionWorkspace, type StarterPaymentMethod } from '../workspaces/provision-workspace.js';
import type { Auth } from './auth.js';
import { watchAuthDatabase } from './auth-database-failures.js';
import { isSameOriginMutation } from './origin.js';

const signUpBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    email: z.email().max(254),
    password: z.string().min(12).max(128),
    workspaceName: z.string().trim().min(1).max(100),
  })
  .openapi('SignUp');

const signUpResult = z
  .object({
    user: z.object({ id: z.uuid(), name: z.string(), email: z.string() }),
    workspace: z.object({ id: z.uuid(), name: z.string() }),
  })
  .openapi('SignUpResult');

const route = createRoute({
  method: 'post',
  path: '/',
  operationId: 'signUp',
  security: [],
  tags: ['Team'],
  summary:
    'Create a workspace and its owner, and sign the owner in (session cookie). Open on a fresh install; afterwards only with PAYLINKS_OPEN_SIGNUP=true (403 signup_closed)',
  request: { body: { required: true, content: { 'application/json': { schema: signUpBody } } } },
  responses: {
    201: {
      description: 'Signed up and signed in',
      content: { 'application/json': { schema: signUpResult } },
    },
    ...problemResponses(403, 409, 422),
  },
});

const signUpState = z
  .object({ open: z.boolean().describe('Whether POST /api/signup would create a workspace now') })
  .openapi('SignUpState');

const stateRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'getSignupAvailability',
  security: [],
  tags: ['Team'],
  summary:
    'Whether sign-up is open: on a fresh install (no workspace yet) or with PAYLINKS_OPEN_SIGNUP=true. The sign-in screen offers the first sign-up from it',
  responses: {
    200: { description: 'Sign-up state', content: { 'application/json': { schema: signUpState } } },
  },
});

export interface SignUpDeps {
  auth: Auth;
  db: PaylinksDb;
  ownOrigin: string;
  secretKey: Buffer;
  clock: Clock;
  starterMethod: StarterPaymentMethod;
  /** Anyone may create a workspace at any time; otherwise only the first one, then people are invited. */
  openSignup: boolean;
}

const signupClosed = () =>
  new ProblemError(403, {
    code: 'signup_closed',
    message: 'Sign-up is closed on this server: ask a workspace owner or admin for an invitation.',
  });

async function anyWorkspaceExists(db: PaylinksDb | PaylinksTransaction): Promise<boolean> {
  const [row] = await db.select({ id: schema.workspaces.id }).from(schema.workspaces).limit(1);
  return row !== undefined;
}

export function signUpRoutes(deps: SignUpDeps) {
  return createRouter()
    .openapi(stateRoute, async (c) =>
      c.json({ open: deps.openSignup || !(await anyWorkspaceExists(deps.db)) }, 200),
    )
    .openapi(route, async (c) => {
      // No cookie yet, but a foreign page must not sign a visitor into an account of its choosing.
      if (!isSameOriginMutation(c.req.method, c.req.raw.headers, deps.ownOrigin)) {
        throw new ProblemError(403, {
          code: 'cross_origin_refused',
          message: 'Cross-origin request refused.',
        });
      }
      // Checked before making the account, so a closed server writes nothing for a stranger.
      if (!deps.openSignup && (await anyWorkspaceExists(deps.db))) throw signupClosed();
      const { name, email, password, workspaceName } = c.req.valid('json');
      const signUp = await signUpUser(deps.auth, { name, email, password }, c.req.raw.headers);
      const userId = signUp.response.user.id;
      const sessionToken = signUp.response.token;
      // Sign-up opens a session unless email verification is required, which we do not turn on.
      if (!sessionToken) throw new Error('sign-up opened no session');
      try {
        const workspace = await deps.db.transaction(async (tx) => {
          if (!deps.openSignup) {
            // Two sign-ups racing on a fresh install: one takes the install, the other is refused.
            await tx.execute(sql`select pg_advisory_xact_lock(hashtext('paylinks:first-signup'))`);
            if (await anyWorkspaceExists(tx)) throw signupClosed();
          }
          return provisionWorkspace(tx, {
            name: workspaceName,
            ownerUserId: userId,
            sessionToken,
            starterMethod: deps.starterMethod,
            secretKey: deps.secretKey,
            now: deps.clock.now(),
          });
        });
        for (const cookie of signUp.headers.getSetCookie()) c.header('set-cookie', cookie, { append: true });
        return c.json(
          {
            user: { id: userId, name, email: signUp.response.user.email },
            workspace: { id: workspace.id, name: workspace.name },
          },
          201,
        );
      } catch (error) {
        // Without a workspace the account is useless; remove it so the email can sign up again.
        await (await deps.auth.$context).internalAdapter.deleteUser(userId);
        throw error;
      }
    });
}

async function signUpUser(
  auth: Auth,
  body: { name: string; email: string; password: string },
  headers: Headers,
) {
  try {
    const { value } = await watchAuthDatabase(
      () => auth.api.signUpEmail({ body, headers, returnHeaders: true }),
      () => false,
    );
    return value;
  } catch (error) {
    if (error instanceof APIError && error.body?.code === 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL') {
      throw new ProblemError(409, {
        code: 'email_taken',
        field: 'email',
        message: 'This email already has an account.',
      });
    }
    if (error instanceof APIError && error.statusCode < 500) {
      throw new ProblemError(422, { code: 'signup_refused', message: error.message });
    }
    throw error;
  }
}
