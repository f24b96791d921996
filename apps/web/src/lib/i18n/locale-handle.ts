import type { Handle } from '@sveltejs/kit';
import {
  cookieMaxAge,
  cookieName,
  defineCustomServerStrategy,
  isLocale,
  type Locale,
} from '$lib/paraglide/runtime';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { textDirection } from './text-direction';

/** The language switcher's choice: `?lang=de`. Anything that is not one of our locales is ignored. */
export function localeFromQuery(url: URL): Locale | undefined {
  const lang = url.searchParams.get('lang');
  return lang !== null && isLocale(lang) ? lang : undefined;
}

defineCustomServerStrategy('custom-query', {
  getLocale: (request) => request && localeFromQuery(new URL(request.url)),
});

/**
 * Picks the visitor's language (?lang=, then the remembered cookie, then Accept-Language), keeps it
 * for the whole render, remembers a ?lang= choice in the cookie, and writes it into <html lang dir>.
 */
export const localeHandle: Handle = ({ event, resolve }) =>
  paraglideMiddleware(event.request, ({ request, locale }) => {
    event.request = request;
    if (localeFromQuery(event.url) !== undefined) {
      // Readable by no script and sent only to us: it holds nothing but the language.
      event.cookies.set(cookieName, locale, {
        path: '/',
        maxAge: cookieMaxAge,
        sameSite: 'lax',
        httpOnly: true,
        secure: event.url.protocol === 'https:',
      });
    }
    return resolve(event, {
      transformPageChunk: ({ html }) =>
        // app.html says <html lang="en" dir="ltr">: the page's own language replaces it.
        html.replace('<html lang="en" dir="ltr">', `<html lang="${locale}" dir="${textDirection(locale)}">`),
    });
  });
