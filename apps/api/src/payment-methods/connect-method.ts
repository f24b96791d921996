import { randomUUID } from 'node:crypto';
import type { ProviderError } from '@paylinks/core';
import { schema } from '@paylinks/db';
import type { AppContext } from '../app-context.js';
import { ProblemError } from '../http/problem.js';
import { validationProblem } from '../http/validation.js';
import { sealCredentials } from './credentials-crypto.js';
import { uniqueDisplayName } from './display-names.js';
import type { AnyPaymentProvider } from './provider-registry.js';

// Credentials are a few keys and tokens; anything bigger is not a credential.
const MAX_CREDENTIALS_BYTES = 8 * 1024;
const VERIFY_TIMEOUT_MS = 15_000;

export interface ConnectInput {
  providerId: string;
  displayName?: string | undefined;
  mode?: 'test' | 'live' | undefined;
  credentials: Record<string, unknown>;
}

/**
 * Connects a provider to the workspace: the plugin's schema validates the form, the plugin checks
 * the credentials with the provider, and the parsed credentials (which may include values the
 * schema generates, like the sandbox's webhook secret) are sealed before they reach the database.
 */
export async function connectMethod(ctx: AppContext, workspaceId: string, input: ConnectInput) {
  const provider = ctx.providers.get(input.providerId);
  if (!provider) {
    throw new ProblemError(422, {
      code: 'unknown_provider',
      field: 'providerId',
      message: `No installed payment provider is called "${input.providerId.slice(0, 64)}".`,
    });
  }
  const chosenMode = input.mode ?? (isTestOnly(provider) ? 'test' : 'live');
  if (chosenMode === 'live' && isTestOnly(provider)) {
    throw new ProblemError(422, {
      code: 'test_only_provider',
      field: 'mode',
      message: `${provider.displayName} only takes test payments.`,
    });
  }
  if (Buffer.byteLength(JSON.stringify(input.credentials)) > MAX_CREDENTIALS_BYTES) {
    throw new ProblemError(422, {
      code: 'too_big',
      field: 'credentials',
      message: 'The credentials are too large.',
    });
  }

  const parsed = provider.credentialsSchema.safeParse(input.credentials);
  if (!parsed.success) {
    // Paths relative to the request body, so the field reads `credentials.apiKey`.
    const issues = parsed.error.issues.map((issue) => ({ ...issue, path: ['credentials', ...issue.path] }));
    throw validationProblem(issues, { credentials: input.credentials });
  }
  // A provider whose keys say test or live (Stripe) decides the mode; a contradicting choice is refused.
  const keyMode = provider.modeOf?.(parsed.data);
  if (keyMode && input.mode && input.mode !== keyMode) {
    throw new ProblemError(422, {
      code: 'mode_mismatch',
      field: 'mode',
      message: `These are ${keyMode} credentials; connect them as a ${keyMode} method.`,
    });
  }
  await verify(ctx, provider, parsed.data);

  const mode = keyMode ?? chosenMode;
  const id = randomUUID();
  const sealed = sealCredentials(parsed.data, ctx.secretKey, { workspaceId, methodId: id });
  const displayName = await uniqueDisplayName(
    ctx.db,
    workspaceId,
    input.displayName ?? provider.displayName,
    {
      explicit: input.displayName !== undefined,
    },
  );
  const [row] = await ctx.db
    .insert(schema.paymentMethods)
    .values({
      id,
      workspaceId,
      providerId: provider.id,
      displayName,
      mode,
      credentialsCiphertext: sealed.ciphertext,
      credentialsIv: sealed.iv,
      credentialsAuthTag: sealed.authTag,
      createdAt: ctx.clock.now(),
      updatedAt: ctx.clock.now(),
    })
    .returning(publicMethodColumns);
  ctx.logger.info('payment method connected', { workspaceId, methodId: id, providerId: provider.id, mode });
  return row!;
}

// The sandbox keeps its state in memory and never moves money; it cannot be a live method.
const isTestOnly = (provider: AnyPaymentProvider) => provider.id === 'sandbox';

async function verify(ctx: AppContext, provider: AnyPaymentProvider, credentials: unknown): Promise<void> {
  let result: Awaited<ReturnType<AnyPaymentProvider['verifyCredentials']>> | 'timeout';
  let timer: NodeJS.Timeout | undefined;
  try {
    result = await Promise.race([
      provider.verifyCredentials(credentials),
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), VERIFY_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    // Only the error's name: a plugin's message could quote the credentials it was given.
    ctx.logger.error('verifyCredentials threw', {
      providerId: provider.id,
      error: error instanceof Error ? error.name : typeof error,
    });
    throw unavailable(provider);
  } finally {
    clearTimeout(timer);
  }
  if (result === 'timeout') throw unavailable(provider);
  if (result.ok) return;
  const error: ProviderError = result.error;
  if (error.kind === 'retryable') throw unavailable(provider);
  throw new ProblemError(422, {
    code: 'credentials_rejected',
    field: 'credentials',
    message: `${provider.displayName} refused these credentials: ${error.message}`,
  });
}

const unavailable = (provider: AnyPaymentProvider) =>
  new ProblemError(503, {
    code: 'provider_unavailable',
    message: `${provider.displayName} could not be reached to check the credentials. Try again in a minute.`,
  });

/** What the API may read of a payment method: everything but the sealed credentials. */
export const publicMethodColumns = {
  id: schema.paymentMethods.id,
  providerId: schema.paymentMethods.providerId,
  displayName: schema.paymentMethods.displayName,
  enabled: schema.paymentMethods.enabled,
  mode: schema.paymentMethods.mode,
  createdAt: schema.paymentMethods.createdAt,
};
