import { getLocale, locales } from '$lib/paraglide/runtime';
import type { LayoutServerLoad } from './$types';

// Endonyms: a payer who cannot read the current language still finds their own.
const languageNames: Record<(typeof locales)[number], string> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  nl: 'Nederlands',
};

export const load: LayoutServerLoad = ({ url, setHeaders }) => {
  // A payment page holds a payer's payment: no shared cache, no back-forward copy after leaving.
  setHeaders({ 'cache-control': 'no-store' });
  const locale = getLocale();
  return {
    locale,
    languages: locales.map((code) => {
      const target = new URL(url);
      target.searchParams.set('lang', code);
      return {
        code,
        name: languageNames[code],
        href: `${target.pathname}${target.search}`,
        current: code === locale,
      };
    }),
  };
};
