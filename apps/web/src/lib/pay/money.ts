/** The API's money: a decimal string in the currency's own minor-unit precision, never a float. */
export interface Money {
  amount: string;
  currency: string;
}

/**
 * Money for the payer's locale (1.234,56 € in de, €1,234.56 in en). The decimal string is handed to
 * Intl as is: it formats strings exactly, so no amount ever passes through a float.
 */
export function formatMoney(money: Money, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency });
  return format.format(money.amount as `${number}`);
}
