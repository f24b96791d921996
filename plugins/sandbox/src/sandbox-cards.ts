import { z } from 'zod';

export type CardBrand = 'visa';

/** What the sandbox keeps about a card: never the number, never the CVC. */
export type CardSummary = { last4: string; brand: CardBrand };

export type TestCardOutcome =
  | { kind: 'pays' }
  | { kind: 'declined'; code: 'card_declined' | 'insufficient_funds'; message: string };

type TestCard = { number: string; brand: CardBrand; outcome: TestCardOutcome };

export const testCards: readonly TestCard[] = [
  { number: '4242424242424242', brand: 'visa', outcome: { kind: 'pays' } },
  {
    number: '4000000000000002',
    brand: 'visa',
    outcome: { kind: 'declined', code: 'card_declined', message: 'The card was declined by the bank.' },
  },
  {
    number: '4000000000009995',
    brand: 'visa',
    outcome: { kind: 'declined', code: 'insufficient_funds', message: 'The card has insufficient funds.' },
  },
];

export type SandboxCardFields = { cardNumber: string; expiry: string; cvc: string; cardName?: string };

const CARD_NUMBER = /^\d{12,19}$/;
const EXPIRY = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/;

/**
 * Format only: whether a number is a test card is the checkout's answer (an `invalid` error naming
 * the test cards), so the payer learns the one thing that helps. The output is normalised and the
 * schema accepts its own output, so startCheckout can check the fields again.
 */
export function createCardFieldsSchema(now: () => Date): z.ZodType<SandboxCardFields> {
  return z.strictObject({
    cardNumber: z
      .string()
      .transform((value) => value.replace(/[\s-]/g, ''))
      .pipe(z.string().regex(CARD_NUMBER, 'Enter the card number (12 to 19 digits)')),
    expiry: z.string().transform((value, ctx) => {
      const match = EXPIRY.exec(value);
      const month = Number(match?.[1]);
      if (!match || month < 1 || month > 12) {
        ctx.addIssue({ code: 'custom', message: 'Enter the expiry as MM/YY' });
        return z.NEVER;
      }
      const yearDigits = match[2] ?? '';
      const year = yearDigits.length === 2 ? 2000 + Number(yearDigits) : Number(yearDigits);
      const today = now();
      // A card is valid through the last day of its expiry month.
      if (year * 12 + month < today.getUTCFullYear() * 12 + today.getUTCMonth() + 1) {
        ctx.addIssue({ code: 'custom', message: 'This card has expired' });
        return z.NEVER;
      }
      return `${String(month).padStart(2, '0')}/${String(year % 100).padStart(2, '0')}`;
    }),
    cvc: z.string().regex(/^\d{3,4}$/, 'Enter the 3 or 4 digit security code'),
    // Asked like a real card form; never kept (only the last 4 digits and the brand are).
    cardName: z.string().trim().max(40, 'Enter at most 40 characters').optional(),
  });
}

export type CardCheck =
  | { kind: 'test-card'; card: CardSummary; outcome: TestCardOutcome }
  | { kind: 'not-a-test-card' };

/** Expects a normalised number (digits only), as the fields schema produces. */
export function checkTestCard(cardNumber: string): CardCheck {
  const card = testCards.find((candidate) => candidate.number === cardNumber);
  if (!card) return { kind: 'not-a-test-card' };
  return {
    kind: 'test-card',
    card: { last4: card.number.slice(-4), brand: card.brand },
    outcome: card.outcome,
  };
}
