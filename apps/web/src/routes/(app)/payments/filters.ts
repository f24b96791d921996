/** The Payments section's filters, by their name in the page's URL (the API's names). */
export const filterNames = [
  'status',
  'methodId',
  'currency',
  'from',
  'to',
  'contactId',
  'dealId',
  'minAmount',
  'maxAmount',
  'q',
] as const;
export type FilterName = (typeof filterNames)[number];
export type FilterValues = Partial<Record<FilterName, string>>;

const day = /^\d{4}-\d{2}-\d{2}$/;
const dayMs = 24 * 60 * 60 * 1000;

/**
 * The filter form's fields as the page's URL carries them, and the API query they mean. The date
 * fields name whole days (UTC): `from` starts at that day, `to` includes its day. Anything else is
 * passed on as typed, so the API's refusal names the field.
 */
export function readFilters(url: URL): { values: FilterValues; query: Record<string, string> } {
  const values: FilterValues = {};
  for (const name of filterNames) {
    const value = url.searchParams.get(name)?.trim();
    if (value) values[name] = value;
  }
  const query: Record<string, string> = { ...values };
  if (values.currency) query.currency = values.currency.toUpperCase();
  if (values.from && day.test(values.from)) query.from = `${values.from}T00:00:00Z`;
  if (values.to && day.test(values.to)) {
    const next = Date.parse(`${values.to}T00:00:00Z`) + dayMs;
    if (!Number.isNaN(next)) query.to = new Date(next).toISOString();
  }
  return { values, query };
}

/** The same URL with its cursor replaced (null: the first page). */
export function withCursor(url: URL, cursor: string | null): string {
  const target = new URL(url);
  if (cursor) target.searchParams.set('cursor', cursor);
  else target.searchParams.delete('cursor');
  return `${target.pathname}${target.search}`;
}

/** The same URL without one filter: the "remove" link of a filter chip. */
export function without(url: URL, name: FilterName): string {
  const target = new URL(url);
  target.searchParams.delete(name);
  target.searchParams.delete('cursor');
  return `${target.pathname}${target.search}`;
}
