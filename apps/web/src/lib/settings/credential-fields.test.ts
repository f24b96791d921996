import { describe, expect, it } from 'vitest';
import { credentialFields, credentialsFromForm, labelOfKey } from './credential-fields';

const stripeLike = {
  type: 'object',
  properties: {
    apiKey: { type: 'string', pattern: '^sk_' },
    accountName: { type: 'string', title: 'Account', description: 'As in your dashboard' },
    region: { type: 'string', enum: ['eu', 'us'] },
    captureLater: { type: 'boolean' },
    signing: { type: 'string', writeOnly: true },
  },
  required: ['apiKey', 'region'],
  additionalProperties: false,
};

describe("a provider's connect form", () => {
  it('asks for each credential with the control its schema calls for, secrets as passwords', () => {
    const fields = credentialFields(stripeLike);
    expect(fields?.map(({ name, kind, required, label }) => ({ name, kind, required, label }))).toEqual([
      { name: 'credentials.apiKey', kind: 'secret', required: true, label: 'API key' },
      { name: 'credentials.accountName', kind: 'text', required: false, label: 'Account' },
      { name: 'credentials.region', kind: 'choice', required: true, label: 'Region' },
      { name: 'credentials.captureLater', kind: 'boolean', required: false, label: 'Capture later' },
      { name: 'credentials.signing', kind: 'secret', required: false, label: 'Signing' },
    ]);
    expect(fields?.[1]?.description).toBe('As in your dashboard');
    expect(fields?.[2]?.options).toEqual(['eu', 'us']);
  });

  it('offers no form when the schema asks for something it cannot show, or is missing', () => {
    expect(credentialFields({ type: 'object', properties: { port: { type: 'number' } } })).toBeUndefined();
    expect(credentialFields(undefined)).toBeUndefined();
    expect(credentialFields({ type: 'object' })).toEqual([]);
  });

  it('sends what was typed, leaves empty optional fields to the provider, ticks as booleans', () => {
    const fields = credentialFields(stripeLike)!;
    const form = new FormData();
    form.set('credentials.apiKey', 'sk_test_123');
    form.set('credentials.accountName', '');
    form.set('credentials.region', 'eu');
    form.set('credentials.captureLater', 'on');
    expect(credentialsFromForm(fields, form)).toEqual({
      apiKey: 'sk_test_123',
      region: 'eu',
      captureLater: true,
    });
  });

  it('reads camelCase and snake_case names as words', () => {
    expect(labelOfKey('webhookSecret')).toBe('Webhook secret');
    expect(labelOfKey('publishable_key')).toBe('Publishable key');
    expect(labelOfKey('profileId')).toBe('Profile ID');
  });
});
