import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, signSandboxPayload, verifySandboxSignature } from './sandbox-signature.js';

const secret = 'sbx_whsec_test-secret-0123456789abcdefghijklmnopqrstu';
const body = '{"id":"evt_1","amount":"10.50"}';
const signedAt = new Date('2030-06-15T12:00:00.750Z');
const toleranceMs = 5 * 60 * 1000;

function verify(header: string | undefined, overrides: { body?: string; now?: Date; secret?: string } = {}) {
  const result = verifySandboxSignature({
    secret: overrides.secret ?? secret,
    body: overrides.body ?? body,
    header,
    now: overrides.now ?? signedAt,
    toleranceMs,
  });
  return result.ok ? 'ok' : result.error.code;
}

describe('sandbox webhook signature', () => {
  it('is HMAC-SHA256 over "<unix seconds>.<raw body>", in t=…,v1=… form', () => {
    const t = 1907755200;
    const hmac = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signSandboxPayload({ secret, body, signedAt })).toBe(`t=${t},v1=${hmac}`);
  });

  it('verifies what it signs', () => {
    expect(verify(signSandboxPayload({ secret, body, signedAt }))).toBe('ok');
  });

  it('refuses a changed body, another secret, or a missing header', () => {
    const header = signSandboxPayload({ secret, body, signedAt });
    expect(verify(header, { body: body.replace('10.50', '10.51') })).toBe('signature_mismatch');
    expect(verify(header, { secret: `${secret}x` })).toBe('signature_mismatch');
    expect(verify(undefined)).toBe('missing_signature');
    expect(verify('')).toBe('missing_signature');
  });

  it('refuses a timestamp moved after signing', () => {
    const header = signSandboxPayload({ secret, body, signedAt });
    expect(verify(header.replace('t=1907755200', 't=1907755201'))).toBe('signature_mismatch');
  });

  it.each([
    ['no timestamp', `v1=${'a'.repeat(64)}`],
    ['no signature', 't=1907755200'],
    ['two timestamps', `t=1,t=2,v1=${'a'.repeat(64)}`],
    ['a short signature', 't=1907755200,v1=abc'],
    ['garbage', 'sha256=deadbeef'],
  ])('refuses a header with %s', (_label, header) => {
    expect(verify(header)).toBe('malformed_signature');
  });

  it('accepts any matching v1 (secret rotation) and skips unknown schemes', () => {
    const good = signSandboxPayload({ secret, body, signedAt });
    const other = signSandboxPayload({ secret: 'old-secret', body, signedAt }).split(',')[1];
    expect(verify(`${good},${other},v2=whatever`)).toBe('ok');
    expect(verify(`${other},${good.split(',')[0]}`)).toBe('signature_mismatch');
  });

  it('holds a 5 minute window on both sides, inclusive', () => {
    const header = signSandboxPayload({ secret, body, signedAt });
    const t = Math.floor(signedAt.getTime() / 1000) * 1000;
    expect(verify(header, { now: new Date(t + toleranceMs) })).toBe('ok');
    expect(verify(header, { now: new Date(t + toleranceMs + 1) })).toBe('timestamp_out_of_tolerance');
    expect(verify(header, { now: new Date(t - toleranceMs) })).toBe('ok');
    expect(verify(header, { now: new Date(t - toleranceMs - 1) })).toBe('timestamp_out_of_tolerance');
  });

  it('finds the header whatever its case', () => {
    expect(signatureHeader({ 'paylinks-sandbox-signature': 'a' })).toBe('a');
    expect(signatureHeader({ 'Paylinks-Sandbox-Signature': 'b' })).toBe('b');
    expect(signatureHeader({ 'content-type': 'application/json' })).toBeUndefined();
  });
});
