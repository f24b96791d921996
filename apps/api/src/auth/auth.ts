import { hkdfSync } from 'node:crypto';
import { apiKey } from '@better-auth/api-key';
import { type PaylinksDb, schema } from '@paylinks/db';
import { type BetterAuthOptions, betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { createAuthMiddleware } from 'better-auth/api';
import { organization } from 'better-auth/plugins';
import { errorFields, type Logger } from '../logger.js';
import { noteDatabaseFailures } from './auth-database-failures.js';

export const apiKeyPrefix = 'pl_';

export interface AuthOptions {
  db: PaylinksDb;
  publicUrl: string;
  secretKey: Buffer;
  logger: Logger;
  /** Replaces better-auth's scrypt (its default when left out); only tests pass one. */
  passwordHashing?: PasswordHashing;
}

/** How stored passwords are hashed and checked: better-auth's `emailAndPassword.password`. */
export interface PasswordHashing {
  hash(password: string): Promise<string>;
  verify(data: { hash: string; password: string }): Promise<boolean>;
}

/**
 * better-auth with organizations (our workspaces, roles owner/admin/member) and API keys.
 * Sessions live in httpOnly SameSite=Lax cookies, Secure when PUBLIC_URL is https.
 */
export function createAuth({ db, publicUrl, secretKey, logger, passwordHashing }: AuthOptions) {
  return betterAuth({
    // The message and what errorFields keeps of an error: better-auth's other arguments can carry
    // request bodies.
    logger: {
      level: 'warn',
      log: (level, message, ...args) => {
        const error = args.find((arg) => arg instanceof Error);
        (level === 'error' ? logger.error : logger.info)(`better-auth: ${message}`, {
          level,
          ...(error ? errorFields(error) : {}),
        });
      },
    },
    // Unexpected errors in its routes reach our error handler (which logs no statement text and
    // answers an outage with 503) instead of its router's console.error of the whole error.
    onAPIError: { throw: true },
    baseURL: publicUrl,
    basePath: '/api/auth',
    // Its own key, derived so that rotating one never silently reuses the other.
    secret: Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'paylinks/better-auth', 32)).toString(
      'hex',
    ),
    trustedOrigins: [new URL(publicUrl).origin],
    database: (options: BetterAuthOptions) => noteDatabaseFailures(drizzleAdapterFor(db)(options)),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 12,
      maxPasswordLength: 128,
      password: passwordHashing,
    },
    // Its limiter (on only with NODE_ENV=production) keys on a client-supplied X-Forwarded-For or
    // puts every client in one bucket of 3 per 10 s, which lets anyone lock the owner out. Sign-in is
    // throttled in front of it instead (sign-in-throttle.ts), counted in the database.
    rateLimit: { customRules: { '/sign-in/email': false } },
    advanced: {
      database: { generateId: 'uuid' },
      cookiePrefix: 'paylinks',
      // better-auth turns its Origin check off when NODE_ENV=test; we want tests to prove it works.
      disableOriginCheck: false,
      disableCSRFCheck: false,
    },
    telemetry: { enabled: false },
    databaseHooks: {
      session: {
        create: {
          // A fresh sign-in has no active workspace: start in the user's first one.
          before: async (session, ctx) => {
            if (!ctx) return;
            const [first] = await ctx.context.adapter.findMany<{ organizationId: string }>({
              model: 'member',
              where: [{ field: 'userId', value: session.userId }],
              sortBy: { field: 'createdAt', direction: 'asc' },
              limit: 1,
            });
            if (!first) return;
            return { data: { ...session, activeOrganizationId: first.organizationId } };
          },
        },
      },
    },
    // Only the routes in offered-auth-routes.ts are reachable over HTTP; the rest (the plugins' own
    // organization and API-key routes among them) answer 404 before reaching better-auth.
    hooks: {
      // A password is changed because it may be known to someone else: their sessions end with it,
      // whatever the client asked. The caller gets a fresh session in the answer's cookie.
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== '/change-password') return;
        return { context: { body: { ...ctx.body, revokeOtherSessions: true } } };
      }),
    },
    plugins: [
      organization({
        allowUserToCreateOrganization: false,
        creatorRole: 'owner',
        schema: { organization: { modelName: 'workspaces' } },
      }),
      apiKey({
        defaultPrefix: apiKeyPrefix,
        enableMetadata: true,
        startingCharactersConfig: { shouldStore: true, charactersLength: 10 },
        // Off: keys are checked and counted per clock minute by api-key-verification.ts. The plugin's
        // own limit (default 10 a day) resets only after a whole window without requests.
        rateLimit: { enabled: false },
      }),
    ],
  });
}

function drizzleAdapterFor(db: PaylinksDb) {
  return drizzleAdapter(db, {
    provider: 'pg',
    schema: {
      user: schema.user,
      session: schema.session,
      account: schema.account,
      verification: schema.verification,
      member: schema.member,
      invitation: schema.invitation,
      apikey: schema.apikey,
      workspaces: schema.workspaces,
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
