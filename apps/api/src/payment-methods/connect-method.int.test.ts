import { paymentMethods } from '@paylinks/db';
import { openTestDatabase } from '@paylinks/db/testing';
import { createSandboxProvider, generateWebhookSecret } from '@paylinks/plugin-sandbox';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { createTestKeyProvider } from './test-provider-fixture.js';

let app: TestApp;
let owner: TestMember;
beforeAll(async () => {
  app = testApp(await openTestDatabase(), { providers: [createSandboxProvider(), createTestKeyProvider()] });
  owner = await app.signUp('Acme');
});
afterAll(() => app.close());

const connect = (body: unknown) => app.call(owner, 'POST', '/api/payment-methods', body);
const methodCount = async () => {
  const body: any = await (await app.call(owner, 'GET', '/api/payment-methods')).json();
  return body.paymentMethods.length as number;
};

describe('connecting refuses', () => {
  it.each([
    ['an unknown provider', { providerId: 'stripe', credentials: {} }, 'unknown_provider', 'providerId'],
    ['a missing provider', { credentials: {} }, 'validation_failed', 'providerId'],
    ['missing credentials', { providerId: 'sandbox' }, 'validation_failed', 'credentials'],
    [
      'credentials that are not an object',
      { providerId: 'sandbox', credentials: 'secret' },
      'validation_failed',
      'credentials',
    ],
    [
      'a huge provider id',
      { providerId: 'x'.repeat(10_000), credentials: {} },
      'validation_failed',
      'providerId',
    ],
    [
      'a huge display name',
      { providerId: 'sandbox', displayName: 'x'.repeat(10_000), credentials: {} },
      'validation_failed',
      'displayName',
    ],
    [
      'a blank display name',
      { providerId: 'sandbox', displayName: '   ', credentials: {} },
      'validation_failed',
      'displayName',
    ],
    [
      'an unknown top-level field',
      { providerId: 'sandbox', credentials: {}, secret: 1 },
      'validation_failed',
      'secret',
    ],
    [
      'a live sandbox',
      { providerId: 'sandbox', mode: 'live', credentials: {} },
      'test_only_provider',
      'mode',
    ],
    [
      'an unknown mode',
      { providerId: 'sandbox', mode: 'prod', credentials: {} },
      'validation_failed',
      'mode',
    ],
    [
      'a sandbox secret of the wrong shape',
      { providerId: 'sandbox', credentials: { webhookSecret: 'whsec_123' } },
      'validation_failed',
      'credentials.webhookSecret',
    ],
    [
      'a sandbox secret of the wrong type',
      { providerId: 'sandbox', credentials: { webhookSecret: 42 } },
      'validation_failed',
      'credentials.webhookSecret',
    ],
    [
      'credentials meant for another provider',
      { providerId: 'sandbox', credentials: { apiKey: 'sk_test_abcdefgh' } },
      'validation_failed',
      'credentials.apiKey',
    ],
    [
      'a missing API key',
      { providerId: 'testkey', credentials: {} },
      'validation_failed',
      'credentials.apiKey',
    ],
    [
      'an API key of the wrong type',
      { providerId: 'testkey', credentials: { apiKey: ['sk_test_abcdefgh'] } },
      'validation_failed',
      'credentials.apiKey',
    ],
    [
      'a huge API key',
      { providerId: 'testkey', credentials: { apiKey: `sk_${'a'.repeat(5000)}` } },
      'validation_failed',
      'credentials.apiKey',
    ],
    [
      'huge credentials',
      { providerId: 'testkey', credentials: { apiKey: 'x'.repeat(10_000) } },
      'too_big',
      'credentials',
    ],
    [
      'an API key the provider refuses',
      { providerId: 'testkey', credentials: { apiKey: 'sk_reject_abcdefgh' } },
      'credentials_rejected',
      'credentials',
    ],
  ])('%s (422)', async (_case, body, code, field) => {
    const before = await methodCount();
    const response = await connect(body);
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem: any = await response.json();
    expect(problem.code).toBe(code);
    expect(problem.field).toBe(field);
    expect(await methodCount()).toBe(before);
  });

  it("passes on the provider's own reason for refusing the credentials", async () => {
    const problem: any = await (
      await connect({ providerId: 'testkey', credentials: { apiKey: 'sk_reject_abcdefgh' } })
    ).json();
    expect(problem.detail).toContain('Invalid API key provided');
    expect(problem.detail).not.toContain('sk_reject_abcdefgh');
  });

  it('answers 503 when the provider cannot be reached or the plugin fails, and says to retry', async () => {
    for (const apiKey of ['sk_retry_abcdefgh', 'sk_throw_abcdefgh']) {
      const response = await connect({ providerId: 'testkey', credentials: { apiKey } });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        code: 'provider_unavailable',
        detail: expect.stringMatching(/try again/i),
      });
    }
    // The thrown error quoted the key; the log keeps only that something threw.
    expect(JSON.stringify(app.logger.lines)).not.toContain('sk_throw_abcdefgh');
    expect(app.logger.lines.some((line) => line.message === 'verifyCredentials threw')).toBe(true);
  });

  it('answers 422, not 500, for a body that is not JSON', async () => {
    const response = await app.call(owner, 'POST', '/api/payment-methods', '{"providerId":');
    expect(response.status).toBeLessThan(500);
    expect(response.status).toBeGreaterThanOrEqual(400);
  });
});

describe('credentials stay secret', () => {
  it('stores only ciphertext and never returns or logs the secret', async () => {
    const secret = generateWebhookSecret();
    const apiKey = 'sk_test_supersecret_0123456789';
    const bodies: string[] = [];
    for (const [providerId, credentials] of [
      ['sandbox', { webhookSecret: secret }],
      ['testkey', { apiKey }],
    ] as const) {
      const response = await connect({ providerId, credentials });
      expect(response.status).toBe(201);
      const text = await response.text();
      bodies.push(text);
      const { id } = JSON.parse(text);
      const [row] = await app.database.db.select().from(paymentMethods).where(eq(paymentMethods.id, id));
      const stored = Buffer.from(row!.credentialsCiphertext).toString('latin1');
      expect(stored).not.toContain(providerId === 'sandbox' ? secret : apiKey);
      expect(stored).not.toContain(providerId === 'sandbox' ? 'sbx_whsec_' : 'sk_test');
    }
    for (const path of ['/api/payment-methods', '/api/payment-methods/providers']) {
      bodies.push(await (await app.call(owner, 'GET', path)).text());
    }
    const everything = bodies.join('\n') + JSON.stringify(app.logger.lines);
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(apiKey);
    expect(app.logger.lines.some((line) => line.message === 'payment method connected')).toBe(true);
  });
});
