// Scripts written right to left; none of today's locales, but `dir` must follow when one is added.
const rightToLeft = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'yi']);

export function textDirection(locale: string): 'ltr' | 'rtl' {
  return rightToLeft.has(locale.split('-')[0]!.toLowerCase()) ? 'rtl' : 'ltr';
}
