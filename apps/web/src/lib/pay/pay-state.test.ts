import { describe, expect, it } from 'vitest';
import { checkoutRefusal } from './checkout-problem';
import { formatMoney } from './money';
import { stateOfProblem, stateText, statusOfState } from './pay-state';
import { phoneCountry } from './phone-country';

// An expired link cannot be made through the API (validity is at least a day and the server's clock
// cannot be moved from a browser test), so its page is checked here from the API's 410 link_expired.
describe('what the payment page shows for an API refusal', () => {
  it('tells the payer of an expired link to ask the sender for a new one, with 410', () => {
    const state = stateOfProblem(410, 'link_expired');
    expect(state).toBe('expired');
    expect(statusOfState[state]).toBe(410);
    expect(stateText(state).body).toMatch(/Ask the sender for a new link/);
  });

  it('keeps a declined card and a bad field on the form, and ends the form for a paid link', () => {
    expect(checkoutRefusal({ status: 402, code: 'insufficient_funds' }, { hasCardFields: true })).toEqual({
      kind: 'form',
      fieldErrors: { cardNumber: expect.stringMatching(/insufficient funds/) },
    });
    expect(
      checkoutRefusal(
        {
          status: 422,
          code: 'validation_failed',
          field: 'card.expiry',
          errors: [{ code: 'invalid', field: 'card.expiry', message: '' }],
        },
        { hasCardFields: true },
      ),
    ).toEqual({ kind: 'form', fieldErrors: { expiry: expect.stringMatching(/MM\/YY/) } });
    expect(checkoutRefusal({ status: 410, code: 'link_paid' }, { hasCardFields: true })).toEqual({
      kind: 'state',
      state: 'paid',
    });
  });

  it('formats money exactly from its decimal string, and guesses the phone country from the browser', () => {
    expect(formatMoney({ amount: '1234.56', currency: 'EUR' }, 'de').replace(/\s/g, ' ')).toBe('1.234,56 €');
    expect(formatMoney({ amount: '1500', currency: 'JPY' }, 'en')).toBe('¥1,500');
    expect(formatMoney({ amount: '9007199254740993.125', currency: 'KWD' }, 'en')).toContain(
      '9,007,199,254,740,993.125',
    );
    expect(phoneCountry('en-GB,en;q=0.9', 'en')).toBe('GB');
    expect(phoneCountry('nl', 'nl')).toBe('NL');
    expect(phoneCountry('en', 'en')).toBeUndefined();
  });
});
