import { randomBytes } from 'node:crypto';
import { z } from 'zod';

export type SandboxCredentials = { webhookSecret: string };

const SECRET_PREFIX = 'sbx_whsec_';

export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * The sandbox needs no account, so the connect form is empty (`{}`). Parsing fills in a fresh
 * webhook signing secret, so connecting the method is the moment the secret is made: the app
 * stores the parse output (encrypted, like any credentials) and every later parse keeps it.
 * Strict, so credentials meant for another provider are refused rather than silently dropped.
 */
export const sandboxCredentialsSchema: z.ZodType<SandboxCredentials> = z.strictObject({
  webhookSecret: z
    .string()
    .regex(/^sbx_whsec_[A-Za-z0-9_-]{43}$/, 'Not a sandbox webhook secret')
    .default(generateWebhookSecret),
});
