/** A payment's moment in the member's language: "3 Nov 2026, 10:00" in en-GB, "3. Nov. 2026, 10:00" in de. */
export function formatDateTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
