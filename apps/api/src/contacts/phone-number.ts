import { err, ok, type Result } from '@paylinks/core';
// The full metadata checks each country's number ranges, not only lengths; this runs on the server only.
import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';

export interface PhoneProblem {
  code: 'invalid_phone' | 'unsupported_country';
  field: 'phone' | 'defaultCountry';
  message: string;
}

/**
 * A typed phone number as E.164. National formats ("06 12345678") need the country they are dialled
 * in; without one the number must start with + and its country code, so a number is never guessed
 * into the wrong country.
 */
export function normalisePhone(input: string, defaultCountry?: string): Result<string, PhoneProblem> {
  let country: CountryCode | undefined;
  if (defaultCountry !== undefined) {
    const upper = defaultCountry.toUpperCase();
    if (!isSupportedCountry(upper)) {
      return err({
        code: 'unsupported_country',
        field: 'defaultCountry',
        message: `${defaultCountry} is not a country whose phone numbers we know.`,
      });
    }
    country = upper;
  }
  // extract: false refuses text around the number ("call +31 6… after 5") instead of fishing it out.
  const parsed = parsePhoneNumberFromString(input, { defaultCountry: country, extract: false });
  if (!parsed) {
    return err({
      code: 'invalid_phone',
      field: 'phone',
      message: country
        ? 'This is not a phone number.'
        : 'Start the number with + and its country code, or send defaultCountry for a national number.',
    });
  }
  // E.164 cannot carry an extension; dropping it silently would store a number that reaches someone else.
  if (parsed.ext) {
    return err({ code: 'invalid_phone', field: 'phone', message: 'Phone extensions are not supported.' });
  }
  if (!parsed.isValid()) {
    return err({
      code: 'invalid_phone',
      field: 'phone',
      message: `This is not a valid phone number for ${parsed.country ?? `+${parsed.countryCallingCode}`}.`,
    });
  }
  return ok(parsed.number);
}
