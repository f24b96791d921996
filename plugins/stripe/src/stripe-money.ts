import { type CurrencyCode, currencyExponent, isKnownCurrency, type Money } from '@paylinks/core';

const codes = (list: string): string[] => list.trim().split(/\s+/);

// Stripe's rules (docs.stripe.com/currencies), which differ from ISO 4217 in places:
// zero-decimal currencies take whole units; three-decimal ones take thousandths whose last digit is
// 0; everything else takes hundredths, even where ISO (and so Intl) says otherwise (ISK, HUF).
const zeroDecimal = new Set(codes('BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF'));
const threeDecimal = new Set(codes('BHD JOD KWD OMR TND'));

/** Stripe's card presentment currencies; the ones Intl does not know are dropped below. */
const presentment = codes(`
  AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF
  BMD BND BOB BRL BSD BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CVE
  CZK DJF DKK DOP DZD EGP ETB EUR FJD FKP GBP GEL GIP GMD GNF GTQ
  GYD HKD HNL HTG HUF IDR ILS INR ISK JMD JOD JPY KES KGS KHR KMF
  KRW KWD KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP
  MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK
  PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SEK SGD SHP SLE
  SOS SRD SZL THB TJS TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS
  VND VUV WST XAF XCD XOF XPF YER ZAR ZMW`);

/** Digits after the decimal point in Stripe's `amount` for this currency. */
export function stripeExponent(currency: CurrencyCode): number {
  if (zeroDecimal.has(currency)) return 0;
  if (threeDecimal.has(currency)) return 3;
  return 2;
}

// Stripe never takes more digits than the currency has, so only scaling up is needed; a currency
// where ISO has more digits than Stripe would lose precision and is left out of the list.
export const stripeCurrencies: readonly CurrencyCode[] = presentment.filter(
  (code) => isKnownCurrency(code) && currencyExponent(code) <= stripeExponent(code),
);

const scale = (currency: CurrencyCode) =>
  10n ** BigInt(stripeExponent(currency) - currencyExponent(currency));

/** Stripe wants the last digit of a three-decimal amount to be 0, so we charge those in steps of 10. */
export function stripeAmountStep(currency: CurrencyCode): bigint {
  return threeDecimal.has(currency) ? 10n / scale(currency) : 1n;
}

export type StripeAmount = { amount: number; currency: string };

export type AmountRefusal = { code: 'unsupported_currency' | 'invalid_amount'; message: string };

/** Our minor units to Stripe's `amount` + lower-case currency; refused, never rounded. */
export function toStripeAmount(
  money: Money,
): { ok: true; value: StripeAmount } | { ok: false; error: AmountRefusal } {
  if (!stripeCurrencies.includes(money.currency)) {
    return {
      ok: false,
      error: { code: 'unsupported_currency', message: `Stripe does not take ${money.currency}` },
    };
  }
  if (money.minor <= 0n) {
    return { ok: false, error: { code: 'invalid_amount', message: 'Stripe charges amounts above zero' } };
  }
  const step = stripeAmountStep(money.currency);
  if (money.minor % step !== 0n) {
    return {
      ok: false,
      error: {
        code: 'invalid_amount',
        message: `Stripe takes ${money.currency} amounts in whole steps of ${step} minor units`,
      },
    };
  }
  const amount = money.minor * scale(money.currency);
  // Stripe's own maximum depends on the account and the currency: it answers amount_too_large itself.
  if (amount > BigInt(Number.MAX_SAFE_INTEGER)) {
    return {
      ok: false,
      error: { code: 'invalid_amount', message: 'The amount is above what Stripe charges' },
    };
  }
  return { ok: true, value: { amount: Number(amount), currency: money.currency.toLowerCase() } };
}

/** Stripe's `amount` + currency back to our minor units; undefined when it is not one we could have sent. */
export function fromStripeAmount(amount: unknown, currency: unknown): Money | undefined {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || typeof currency !== 'string')
    return undefined;
  const code = currency.toUpperCase();
  if (!stripeCurrencies.includes(code)) return undefined;
  const factor = scale(code);
  const stripeMinor = BigInt(amount);
  if (stripeMinor % factor !== 0n) return undefined;
  return { minor: stripeMinor / factor, currency: code };
}
