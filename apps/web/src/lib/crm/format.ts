import { formatMoney, type Money } from '$lib/pay/money';

/** A deal's value in the member's locale, exactly from the API's decimal string; none → empty. */
export function dealAmount(amount: Money | null | undefined, locale: string): string {
  return amount && 'amount' in amount ? formatMoney(amount, locale) : '';
}
