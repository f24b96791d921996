export type DetailTab = 'details' | 'payments';

/** `?tab=payments` opens the Payments tab; anything else is the details. */
export function tabOf(url: URL): DetailTab {
  return url.searchParams.get('tab') === 'payments' ? 'payments' : 'details';
}
