import { z } from 'zod';

export type MollieCredentials = { apiKey: string };

export type MollieMode = 'test' | 'live';

/**
 * An API key from the Mollie dashboard (Developers → API keys). Strict, so credentials meant for
 * another provider are refused rather than silently dropped. The webhook URL needs no setting at
 * Mollie: it is sent with every payment.
 */
export const mollieCredentialsSchema: z.ZodType<MollieCredentials> = z.strictObject({
  apiKey: z
    .string()
    .trim()
    .regex(/^(test|live)_[A-Za-z0-9]{20,64}$/, 'A Mollie API key starts with test_ or live_'),
});

/** Test or live, from the key itself: Mollie decides the mode by the key, not by a setting. */
export function mollieModeOf(credentials: MollieCredentials): MollieMode {
  return credentials.apiKey.startsWith('live_') ? 'live' : 'test';
}
