import type { components } from '$lib/api/schema';

/** The contact form's fields; empty email, phone or language means "none", which the API takes as null. */
export const contactFields = ['name', 'email', 'phone', 'language'] as const;

type MailLanguage = NonNullable<components['schemas']['Contact']['language']>;

/** The languages a contact can be mailed in (the payment page's). */
export const contactLanguages: readonly MailLanguage[] = ['en', 'de', 'fr', 'es', 'nl'];

export function contactBody(values: Record<string, string>) {
  const orNull = (value: string | undefined) => (value?.trim() ? value : null);
  return {
    name: values.name ?? '',
    email: orNull(values.email),
    phone: orNull(values.phone),
    // The API refuses a language it does not know, by name.
    language: orNull(values.language) as MailLanguage | null,
  };
}
