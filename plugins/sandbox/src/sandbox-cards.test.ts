import { describe, expect, it } from 'vitest';
import { checkTestCard, createCardFieldsSchema } from './sandbox-cards.js';

const schema = createCardFieldsSchema(() => new Date('2030-06-15T12:00:00Z'));
const valid = { cardNumber: '4242 4242 4242 4242', expiry: '12/34', cvc: '123' };

function messages(input: unknown): string[] {
  const parsed = schema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
}

describe('sandbox card fields', () => {
  it('normalises spaces, dashes and the expiry format', () => {
    expect(schema.parse({ cardNumber: '4000-0000-0000-0002', expiry: ' 1 / 2031 ', cvc: '1234' })).toEqual({
      cardNumber: '4000000000000002',
      expiry: '01/31',
      cvc: '1234',
    });
  });

  it('accepts its own output, so the checkout can check the fields again', () => {
    const once = schema.parse(valid);
    expect(schema.parse(once)).toEqual(once);
  });

  it.each([
    [{ ...valid, cardNumber: '4242 4242' }, 'Enter the card number (12 to 19 digits)'],
    [{ ...valid, cardNumber: '4242x4242x4242x4242' }, 'Enter the card number (12 to 19 digits)'],
    [{ ...valid, expiry: '13/30' }, 'Enter the expiry as MM/YY'],
    [{ ...valid, expiry: '1230' }, 'Enter the expiry as MM/YY'],
    [{ ...valid, expiry: '05/30' }, 'This card has expired'],
    [{ ...valid, cvc: '12' }, 'Enter the 3 or 4 digit security code'],
  ])('refuses %j', (input, message) => {
    expect(messages(input)).toEqual([message]);
  });

  it('accepts a card that expires this month', () => {
    expect(messages({ ...valid, expiry: '06/30' })).toEqual([]);
  });

  it('refuses unknown fields rather than carrying them along', () => {
    expect(messages({ ...valid, name: 'A Payer' }).length).toBe(1);
  });
});

describe('test cards', () => {
  it.each([
    ['4242424242424242', { kind: 'pays' }],
    ['4000000000000002', { kind: 'declined', code: 'card_declined' }],
    ['4000000000009995', { kind: 'declined', code: 'insufficient_funds' }],
  ])('%s has its documented outcome and keeps only last 4 and brand', (number, outcome) => {
    const check = checkTestCard(number);
    expect(check).toMatchObject({
      kind: 'test-card',
      outcome,
      card: { last4: number.slice(-4), brand: 'visa' },
    });
    expect(JSON.stringify(check)).not.toContain(number);
  });

  it.each([
    ['a real-looking Visa that passes Luhn', '4111111111111111'],
    ['a real-looking Mastercard that passes Luhn', '5555555555554444'],
    ['a test card with one digit changed', '4242424242424241'],
  ])('refuses %s', (_label, number) => {
    expect(checkTestCard(number)).toEqual({ kind: 'not-a-test-card' });
  });
});
