import { createSandboxProvider } from '@paylinks/plugin-sandbox';
import { describe, expect, it } from 'vitest';
import { credentialsJsonSchema, describeProviders } from './provider-catalogue.js';
import { createProviderRegistry } from './provider-registry.js';
import { createDateCredentialsProvider, createTestKeyProvider } from './test-provider-fixture.js';

describe('provider catalogue', () => {
  it("describes the sandbox's empty connect form without handing out a generated secret", () => {
    const schema = credentialsJsonSchema(createSandboxProvider());
    expect(schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      properties: { webhookSecret: { type: 'string', pattern: expect.any(String) } },
    });
    expect(schema).not.toHaveProperty('required');
    expect(schema).not.toHaveProperty('properties.webhookSecret.default');
    expect(JSON.stringify(schema)).not.toMatch(/sbx_whsec_[A-Za-z0-9_-]{43}/);
  });

  it('describes a provider without the schema when JSON Schema cannot express it', () => {
    const providers = createProviderRegistry([createTestKeyProvider(), createDateCredentialsProvider()]);
    const [keyed, dated] = describeProviders(providers);
    expect(keyed).toMatchObject({ id: 'testkey', credentialsSchema: { required: ['apiKey'] } });
    expect(dated).toEqual({
      id: 'dated',
      displayName: 'Dated Pay',
      currencies: ['EUR', 'USD'],
      capabilities: { refunds: false, partialRefunds: false, statusFetch: false, cancelCheckout: false },
    });
  });
});
