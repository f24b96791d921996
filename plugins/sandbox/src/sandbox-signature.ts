import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ProviderError } from '@paylinks/core';

/** Lower-case, as the app hands headers to parseWebhook. */
export const SANDBOX_SIGNATURE_HEADER = 'paylinks-sandbox-signature';

export const DEFAULT_WEBHOOK_TOLERANCE_MS = 5 * 60 * 1000;

function digest(secret: string, timestamp: number, body: string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
}

/** The header value `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export function signSandboxPayload(input: { secret: string; body: string; signedAt: Date }): string {
  const t = Math.floor(input.signedAt.getTime() / 1000);
  return `t=${t},v1=${digest(input.secret, t, input.body).toString('hex')}`;
}

type SignatureHeader = { timestamp: number; signatures: Buffer[] };

function parseHeader(value: string): SignatureHeader | undefined {
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of value.split(',')) {
    const [key, item, ...rest] = part.trim().split('=');
    if (item === undefined || rest.length > 0) return undefined;
    if (key === 't') {
      if (timestamp !== undefined || !/^\d{1,12}$/.test(item)) return undefined;
      timestamp = Number(item);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/.test(item)) return undefined;
      signatures.push(Buffer.from(item, 'hex'));
    }
    // Other keys (a future v2) are skipped, so a newer sender can still be verified by this version.
  }
  if (timestamp === undefined || signatures.length === 0) return undefined;
  return { timestamp, signatures };
}

function rejected(code: string, message: string): { ok: false; error: ProviderError } {
  return { ok: false, error: { kind: 'invalid', code, message } };
}

/**
 * Several v1 values may be present: a sender rotating its secret signs with both, and any match is
 * enough. The tolerance applies both ways, because a timestamp far in the future is as suspect as
 * an old one being replayed.
 */
export function verifySandboxSignature(input: {
  secret: string;
  body: string;
  header: string | undefined;
  now: Date;
  toleranceMs: number;
}): { ok: true } | { ok: false; error: ProviderError } {
  if (input.header === undefined || input.header === '') {
    return rejected('missing_signature', `Missing ${SANDBOX_SIGNATURE_HEADER} header`);
  }
  const parsed = parseHeader(input.header);
  if (!parsed) return rejected('malformed_signature', `Malformed ${SANDBOX_SIGNATURE_HEADER} header`);
  const expected = digest(input.secret, parsed.timestamp, input.body);
  if (!parsed.signatures.some((given) => timingSafeEqual(given, expected))) {
    return rejected('signature_mismatch', 'The signature does not match the payload');
  }
  if (Math.abs(input.now.getTime() - parsed.timestamp * 1000) > input.toleranceMs) {
    return rejected('timestamp_out_of_tolerance', 'The signature is outside the tolerance window');
  }
  return { ok: true };
}

/** Header names are lower-case by contract; this also tolerates a caller that forgot. */
export function signatureHeader(headers: Readonly<Record<string, string>>): string | undefined {
  const direct = headers[SANDBOX_SIGNATURE_HEADER];
  if (direct !== undefined) return direct;
  const key = Object.keys(headers).find((name) => name.toLowerCase() === SANDBOX_SIGNATURE_HEADER);
  return key === undefined ? undefined : headers[key];
}
