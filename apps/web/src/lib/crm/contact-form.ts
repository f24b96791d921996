/** The contact form's fields; empty email or phone means "none", which the API takes as null. */
export const contactFields = ['name', 'email', 'phone'] as const;

export function contactBody(values: Record<string, string>) {
  const orNull = (value: string | undefined) => (value?.trim() ? value : null);
  return { name: values.name ?? '', email: orNull(values.email), phone: orNull(values.phone) };
}
