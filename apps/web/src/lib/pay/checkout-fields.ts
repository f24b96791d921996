import { m } from '$lib/paraglide/messages';

/** The fields of the payment form, by their `name`. */
export type FormField = 'email' | 'phone' | 'cardNumber' | 'expiry' | 'cvc' | 'cardName';

/**
 * Card fields the payer fills in on our page, for a provider that collects them here (the sandbox);
 * Stripe and Mollie take the card on their own hosted page. Keyed by the provider's field name.
 */
export const cardFields = [
  { name: 'cardNumber', autocomplete: 'cc-number', inputmode: 'numeric', label: () => m.card_number_label() },
  { name: 'expiry', autocomplete: 'cc-exp', inputmode: 'numeric', label: () => m.card_expiry_label() },
  { name: 'cvc', autocomplete: 'cc-csc', inputmode: 'numeric', label: () => m.card_cvc_label() },
  // Shown when the provider asks for it (the sandbox does not).
  { name: 'cardName', autocomplete: 'cc-name', inputmode: 'text', label: () => m.card_name_label() },
] as const satisfies readonly {
  name: FormField;
  autocomplete: string;
  inputmode: string;
  label: () => string;
}[];

export type CardFieldName = (typeof cardFields)[number]['name'];

/** The API's dotted field path (`card.expiry`) as the form field it belongs to. */
export function formFieldOf(apiField: string | undefined): FormField | undefined {
  switch (apiField) {
    case 'email':
    case 'phone':
      return apiField;
    case 'card':
    case 'card.cardNumber':
      return 'cardNumber';
    case 'card.expiry':
      return 'expiry';
    case 'card.cvc':
      return 'cvc';
    case 'card.cardName':
      return 'cardName';
    default:
      return undefined;
  }
}

/** A refusal of one field, by the API's stable code, in the payer's language. */
export function fieldErrorText(field: FormField, code: string): string {
  switch (field) {
    case 'email':
      return code === 'required' ? m.error_email_required() : m.error_email_invalid();
    case 'phone':
      if (code === 'required' || code === 'too_small') return m.error_phone_required();
      return code === 'unsupported_country' ? m.error_phone_country() : m.error_phone_invalid();
    case 'cardNumber':
      return code === 'not_a_test_card' ? m.error_card_not_test() : m.error_card_number();
    case 'expiry':
      return m.error_card_expiry();
    case 'cvc':
      return m.error_card_cvc();
    case 'cardName':
      return m.error_field_invalid();
    default: {
      const unreachable: never = field;
      return unreachable;
    }
  }
}

/** What a declined card tells the payer: the provider's reason, and that they may try another card. */
export function declineText(code: string): string {
  switch (code) {
    case 'card_declined':
      return m.error_card_declined();
    case 'insufficient_funds':
      return m.error_insufficient_funds();
    default:
      return m.error_payment_declined();
  }
}
