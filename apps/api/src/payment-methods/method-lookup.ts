import { type PaylinksExecutor, schema } from '@paylinks/db';
import { and, eq } from 'drizzle-orm';
import { notFound } from '../http/not-found.js';
import { ProblemError } from '../http/problem.js';
import { openCredentials } from './credentials-crypto.js';
import type { AnyPaymentProvider, ProviderRegistry } from './provider-registry.js';

export type PaymentMethodRow = typeof schema.paymentMethods.$inferSelect;

/**
 * A method that cannot take payments now, explained to the team (what to fix in payment settings).
 * Its own class so that routes a payer reaches can answer their own message instead of this one.
 */
export class MethodNotUsableError extends ProblemError {
  override name = 'MethodNotUsableError';
}

export interface LoadedMethod {
  method: PaymentMethodRow;
  provider: AnyPaymentProvider;
}

/**
 * The workspace's method that a link or checkout is about to use, with its provider plugin.
 * Answers 404 for an id of another workspace (or none), 422 `method_disabled` for a disabled one
 * and 422 `provider_not_installed` when the plugin was removed from this deployment. `field` names
 * the request field the id came from (e.g. `methodId` in a link form).
 */
export async function loadEnabledMethod(
  deps: { db: PaylinksExecutor; providers: ProviderRegistry },
  workspaceId: string,
  methodId: string,
  field = 'methodId',
): Promise<LoadedMethod> {
  const [method] = await deps.db
    .select()
    .from(schema.paymentMethods)
    .where(and(eq(schema.paymentMethods.workspaceId, workspaceId), eq(schema.paymentMethods.id, methodId)))
    .limit(1);
  if (!method) throw notFound(field, 'payment method');
  if (!method.enabled) {
    throw new MethodNotUsableError(422, {
      code: 'method_disabled',
      field,
      message: `The payment method "${method.displayName}" is disabled. Enable it in payment settings or choose another.`,
    });
  }
  const provider = deps.providers.get(method.providerId);
  if (!provider) {
    throw new MethodNotUsableError(422, {
      code: 'provider_not_installed',
      field,
      message: `The payment method "${method.displayName}" needs a plugin that is no longer installed.`,
    });
  }
  return { method, provider };
}

/**
 * Decrypts the method's credentials and re-reads them with the plugin's schema, so the provider
 * receives its own credential type. Call it only at the moment a provider call needs them, and
 * never log or return the result.
 */
export function openMethodCredentials(secretKey: Buffer, loaded: LoadedMethod): unknown {
  const { method, provider } = loaded;
  let plain: unknown;
  try {
    plain = openCredentials(
      {
        ciphertext: method.credentialsCiphertext,
        iv: method.credentialsIv,
        authTag: method.credentialsAuthTag,
      },
      secretKey,
      { workspaceId: method.workspaceId, methodId: method.id },
    );
  } catch {
    // Another PAYLINKS_SECRET_KEY, or a tampered row: only reconnecting the method fixes it.
    throw unreadable(method);
  }
  const parsed = provider.credentialsSchema.safeParse(plain);
  if (!parsed.success) throw unreadable(method);
  return parsed.data;
}

const unreadable = (method: PaymentMethodRow) =>
  new MethodNotUsableError(422, {
    code: 'method_credentials_unreadable',
    message: `The credentials of "${method.displayName}" cannot be read. Reconnect the payment method.`,
  });
