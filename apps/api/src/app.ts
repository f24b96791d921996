import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Database } from '@paylinks/db';
import type { AppContext, Clock } from './app-context.js';
import { DEFAULT_API_KEY_REQUESTS_PER_MINUTE } from './auth/api-key-verification.js';
import { apiKeysRoutes } from './auth/api-keys-routes.js';
import { createAuth, type PasswordHashing } from './auth/auth.js';
import { authHandler } from './auth/auth-handler.js';
import { registerAuthPaths } from './auth/auth-openapi.js';
import { meRoutes } from './auth/me-routes.js';
import { membersRoutes } from './auth/members-routes.js';
import { requireMember } from './auth/require-member.js';
import { signInThrottle } from './auth/sign-in-throttle.js';
import { signUpRoutes } from './auth/signup-routes.js';
import { brandingPublicRoutes } from './branding/branding-public-routes.js';
import { brandingRoutes } from './branding/branding-routes.js';
import { type AppConfig, DEFAULT_LINK_MAILS_PER_HOUR } from './config.js';
import { contactsRoutes } from './contacts/contacts-routes.js';
import { dealsRoutes } from './deals/deals-routes.js';
import { eventsRoutes, registerEventWebhooks } from './events/events-routes.js';
import { healthRoutes } from './health/health-routes.js';
import { requestBodyLimit } from './http/body-limit.js';
import { refuseControlCharacters } from './http/control-character-guard.js';
import { createErrorHandler, notFoundHandler } from './http/error-handler.js';
import { idempotency } from './http/idempotency.js';
import { openApiRoutes } from './http/openapi-routes.js';
import { defaultRequestLimits } from './http/request-limits.js';
import { createRouter } from './http/router.js';
import { securityHeaders } from './http/security-headers.js';
import { acceptInvitationRoutes } from './invitations/accept-routes.js';
import { invitationsRoutes } from './invitations/invitations-routes.js';
import { linkMailRoutes } from './link-mail/link-mail-routes.js';
import { mailSettingsRoutes } from './link-mail/mail-settings-routes.js';
import type { Logger } from './logger.js';
import { createSmtpMailer, defaultMailFrom } from './mail/mailer.js';
import { paymentLinksRoutes } from './payment-links/payment-links-routes.js';
import { createInstalledProviders } from './payment-methods/installed-providers.js';
import { paymentMethodsRoutes } from './payment-methods/payment-methods-routes.js';
import { type AnyPaymentProvider, createProviderRegistry } from './payment-methods/provider-registry.js';
import { installedPaymentTypes } from './payment-types/installed-payment-types.js';
import { paymentTypeContext } from './payment-types/payment-type-context.js';
import { paymentTypesRoutes } from './payment-types/payment-types-routes.js';
import { paymentsRoutes } from './payments/payments-routes.js';
import { pipelinesRoutes } from './pipelines/pipelines-routes.js';
import { publicPayRoutes } from './public-pay/public-pay-routes.js';
import { webhookEndpointsRoutes } from './webhook-endpoints/webhook-endpoints-routes.js';
import { webhookRoutes } from './webhooks/webhook-routes.js';

/** Everything the app needs from outside, passed in so tests build their own. */
export interface AppDeps {
  database: Database;
  config: Pick<AppConfig, 'publicUrl'> &
    Partial<
      Pick<
        AppConfig,
        | 'idempotencyLeaseMs'
        | 'limits'
        | 'openSignup'
        | 'smtpUrl'
        | 'mailFrom'
        | 'apiKeyRequestsPerMinute'
        | 'linkMailsPerHour'
      >
    >;
  secretKey: Buffer;
  clock: Clock;
  logger: Logger;
  /** Installed payment method plugins; the sandbox is always there and is every new workspace's first method. */
  providers?: readonly AnyPaymentProvider[];
  /** PAYLINKS_WEBHOOKS_ALLOW_PRIVATE: webhook endpoints may point at private and loopback addresses. */
  webhooksAllowPrivate?: boolean;
  /** better-auth's scrypt when left out; tests pass a cheap one (testing/test-password-hashing.ts). */
  passwordHashing?: PasswordHashing;
}

export function createApp(deps: AppDeps): OpenAPIHono {
  const providers = createProviderRegistry(deps.providers ?? createInstalledProviders());
  const ctx: AppContext = {
    db: deps.database.db,
    clock: deps.clock,
    logger: deps.logger,
    publicUrl: deps.config.publicUrl,
    secretKey: deps.secretKey,
    providers,
    // Public page budgets, sign-in throttling and PAYLINKS_TRUST_PROXY; the defaults when left out.
    limits: deps.config.limits ?? defaultRequestLimits,
  };
  const ownOrigin = new URL(ctx.publicUrl).origin;
  const auth = createAuth({
    db: ctx.db,
    publicUrl: ctx.publicUrl,
    secretKey: ctx.secretKey,
    logger: ctx.logger,
    passwordHashing: deps.passwordHashing,
  });
  const starter = providers.get('sandbox');
  if (!starter)
    throw new Error("The sandbox provider must be installed: it is every new workspace's first method.");

  const app = createRouter();
  app.onError(createErrorHandler(deps.logger));
  app.notFound(notFoundHandler);
  // First, so every answer carries them: errors, refusals and 404s too.
  app.use('*', securityHeaders({ https: ctx.publicUrl.startsWith('https:') }));
  // Before any route parses a body or asks who is calling.
  app.use('/api/*', requestBodyLimit());
  app.use('/api/*', refuseControlCharacters());

  // Public: no team member needed.
  app.route('/api/health', healthRoutes(deps.database, deps.logger));
  // Failed sign-ins are counted (and slowed, then refused) before better-auth sees the attempt.
  app.post('/api/auth/sign-in/email', signInThrottle(ctx));
  // Every method, so nothing under /api/auth/ but the offered routes answers anything but 404.
  app.all('/api/auth/*', authHandler(auth));
  registerAuthPaths(app);
  app.route(
    '/api/signup',
    signUpRoutes({
      auth,
      db: ctx.db,
      ownOrigin,
      secretKey: ctx.secretKey,
      clock: ctx.clock,
      starterMethod: {
        providerId: starter.id,
        displayName: starter.displayName,
        // Parsing the empty connect form is what creates the sandbox's webhook secret.
        credentials: () => starter.credentialsSchema.parse({}),
      },
      openSignup: deps.config.openSignup ?? false,
    }),
  );
  app.route(
    '/api/invitations/accept',
    acceptInvitationRoutes({ auth, db: ctx.db, clock: ctx.clock, ownOrigin }),
  );

  // The customer's side and the providers' side: never a team member, each proves itself otherwise.
  app.route('/api/pay', publicPayRoutes(ctx));
  app.route('/api/webhooks', webhookRoutes(ctx));
  // Logos, theme stylesheets and a link's branding: what payers' browsers fetch for the payer pages.
  app.route('/api/branding', brandingPublicRoutes(ctx));
  openApiRoutes(app, ctx.publicUrl);
  registerEventWebhooks(app.openAPIRegistry);

  // Everything below answers only a signed-in team member or an API key, scoped to its workspace.
  app.use(
    '/api/*',
    requireMember({
      auth,
      db: ctx.db,
      ownOrigin,
      clock: ctx.clock,
      apiKeyRequestsPerMinute: deps.config.apiKeyRequestsPerMinute ?? DEFAULT_API_KEY_REQUESTS_PER_MINUTE,
    }),
  );
  app.use('/api/*', idempotency(ctx, { leaseMs: deps.config.idempotencyLeaseMs }));
  app.route('/api/me', meRoutes(ctx.db));
  app.route('/api/members', membersRoutes({ db: ctx.db }));
  app.route(
    '/api/invitations',
    invitationsRoutes({
      ...ctx,
      mailer: deps.config.smtpUrl
        ? createSmtpMailer(deps.config.smtpUrl, deps.config.mailFrom ?? defaultMailFrom(ctx.publicUrl))
        : undefined,
    }),
  );
  app.route('/api/api-keys', apiKeysRoutes({ auth, db: ctx.db, clock: ctx.clock }));
  app.route('/api/contacts', contactsRoutes(ctx));
  app.route('/api/pipelines', pipelinesRoutes(ctx));
  app.route('/api/deals', dealsRoutes(ctx));
  app.route('/api/payment-methods', paymentMethodsRoutes(ctx));
  app.route('/api/payment-links', paymentLinksRoutes(ctx));
  // Sending a link by email: queued here, sent by the link mail job (start-background-jobs.ts).
  app.route(
    '/api/payment-links',
    linkMailRoutes({
      db: ctx.db,
      clock: ctx.clock,
      smtpConfigured: deps.config.smtpUrl !== undefined,
      perHour: deps.config.linkMailsPerHour ?? DEFAULT_LINK_MAILS_PER_HOUR,
    }),
  );
  app.route(
    '/api/mail-settings',
    mailSettingsRoutes({ db: ctx.db, smtpConfigured: deps.config.smtpUrl !== undefined }),
  );
  app.route('/api/payments', paymentsRoutes(ctx));
  app.route('/api/payment-types', paymentTypesRoutes(ctx));
  app.route('/api/events', eventsRoutes(ctx));
  app.route(
    '/api/webhook-endpoints',
    webhookEndpointsRoutes({
      ...ctx,
      policy: { publicUrl: ctx.publicUrl, allowPrivate: deps.webhooksAllowPrivate ?? false },
    }),
  );
  app.route('/api/branding', brandingRoutes(ctx));
  // Each type plugin's own API, behind the same member auth, in the same OpenAPI document.
  for (const type of installedPaymentTypes) {
    const routes = type.routes?.(paymentTypeContext(ctx, type));
    if (routes) app.route(`/api/${type.id}`, routes);
  }
  return app;
}
