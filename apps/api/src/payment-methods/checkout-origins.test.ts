import { describe, expect, it } from 'vitest';
import { checkoutOriginsOf } from './checkout-origins.js';
import { createInstalledProviders } from './installed-providers.js';
import type { AnyPaymentProvider } from './provider-registry.js';

const declaring = (id: string, checkoutOrigins?: readonly string[]) =>
  ({ id, ...(checkoutOrigins ? { checkoutOrigins } : {}) }) as AnyPaymentProvider;

describe('checkoutOriginsOf', () => {
  it('gives Stripe’s and Mollie’s hosted pages for the installed providers', () => {
    expect(checkoutOriginsOf(createInstalledProviders({}))).toEqual([
      'https://checkout.stripe.com',
      'https://www.mollie.com',
    ]);
  });

  it('gives the simulators’ origins when PAYLINKS_*_API_URL points at them', () => {
    const providers = createInstalledProviders({
      PAYLINKS_STRIPE_API_URL: 'http://127.0.0.1:4010',
      PAYLINKS_MOLLIE_API_URL: 'https://127.0.0.1:4020/v2/',
    });
    expect(checkoutOriginsOf(providers)).toEqual(['http://127.0.0.1:4010', 'https://127.0.0.1:4020']);
  });

  it('keeps each origin once and refuses anything that is not a bare http(s) origin', () => {
    expect(
      checkoutOriginsOf([
        declaring('a', ['https://pay.example']),
        declaring('b', ['https://pay.example']),
        declaring('c'),
      ]),
    ).toEqual(['https://pay.example']);
    for (const bad of [
      "https://pay.example; script-src 'unsafe-inline'",
      'https://pay.example/path',
      'javascript:x',
      '*',
    ]) {
      expect(() => checkoutOriginsOf([declaring('bad', [bad])])).toThrow(/not an origin/);
    }
  });
});
