import type { Locale } from '$lib/paraglide/runtime';

// The country a national number is most likely dialled in, when Accept-Language names no region.
const countryOfLocale: Partial<Record<Locale, string>> = { de: 'DE', fr: 'FR', es: 'ES', nl: 'NL' };

/**
 * Where a phone number typed without a country code is from: the region of the browser's first
 * language (`en-GB` → GB), else the page's language's main country. English names none: too many
 * countries share it, and the payer is asked for the country code instead.
 */
export function phoneCountry(acceptLanguage: string | null, locale: Locale): string | undefined {
  const first = acceptLanguage?.split(',')[0]?.split(';')[0]?.trim() ?? '';
  const region = /^[a-z]{2,3}-([a-z]{2})$/i.exec(first)?.[1];
  return region?.toUpperCase() ?? countryOfLocale[locale];
}
