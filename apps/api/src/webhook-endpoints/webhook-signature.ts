import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'Paylinks-Signature';
export const EVENT_ID_HEADER = 'Paylinks-Event-Id';

/**
 * Stripe's scheme, which integrators already know how to check: `t=<unix seconds>,v1=<hex>`, the
 * HMAC-SHA256 of `<t>.<raw body>` under each secret that signs right now (two during a rotation).
 * The timestamp is inside the MAC, so a receiver that bounds its age refuses a replayed delivery.
 */
export function signatureHeader(secrets: readonly string[], body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const signatures = secrets.map(
    (secret) => `v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`,
  );
  return [`t=${t}`, ...signatures].join(',');
}
