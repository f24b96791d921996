import { describe, expect, it } from 'vitest';
import { isPayPage, widenFormAction } from './pay-form-action';

const kitPolicy =
  "default-src 'none'; script-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

describe('widenFormAction', () => {
  it('adds the checkout origins to form-action only', () => {
    expect(widenFormAction(kitPolicy, ['https://checkout.stripe.com', 'https://www.mollie.com'])).toBe(
      "default-src 'none'; script-src 'self'; form-action 'self' https://checkout.stripe.com https://www.mollie.com; base-uri 'none'; frame-ancestors 'none'",
    );
  });

  it('leaves the policy alone without origins, and adds an origin already there only once', () => {
    expect(widenFormAction(kitPolicy, [])).toBe(kitPolicy);
    const once = widenFormAction(kitPolicy, ['https://www.mollie.com']);
    expect(widenFormAction(once, ['https://www.mollie.com'])).toBe(once);
  });

  it('applies to the payment pages, not the CRM', () => {
    expect(isPayPage('/pay/abc')).toBe(true);
    expect(isPayPage('/pay/abc/return')).toBe(true);
    expect(isPayPage('/payments')).toBe(false);
    expect(isPayPage('/contacts/1')).toBe(false);
  });
});
