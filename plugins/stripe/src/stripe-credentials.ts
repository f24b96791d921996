import { z } from 'zod';

export type StripeCredentials = { secretKey: string; webhookSecret: string };

/**
 * A secret key (sk_) or a restricted key (rk_) from the dashboard's API keys page, and the signing
 * secret of the webhook endpoint the team created for this method. Strict, so credentials meant for
 * another provider are refused rather than silently dropped.
 */
export const stripeCredentialsSchema: z.ZodType<StripeCredentials> = z.strictObject({
  secretKey: z
    .string()
    .trim()
    .regex(
      /^(sk|rk)_(test|live)_[A-Za-z0-9]{16,240}$/,
      'Paste a secret key (sk_test_… or sk_live_…) or a restricted key (rk_…) from the Stripe dashboard; a publishable key (pk_…) cannot take payments',
    ),
  webhookSecret: z
    .string()
    .trim()
    .regex(
      /^whsec_[A-Za-z0-9+/=]{16,240}$/,
      'Paste the signing secret (whsec_…) of the webhook endpoint you created for this method',
    ),
});

/** The key says it: sk_test_/rk_test_ take test payments only, sk_live_/rk_live_ real ones. */
export function stripeModeOf(credentials: Pick<StripeCredentials, 'secretKey'>): 'test' | 'live' {
  return /^(sk|rk)_live_/.test(credentials.secretKey) ? 'live' : 'test';
}
