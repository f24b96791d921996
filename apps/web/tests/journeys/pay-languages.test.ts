import { beforeAll, describe, expect, it } from 'vitest';
import { createLink, signUpWorkspace } from '../support/api-helpers';
import { openPage, screenshot } from '../support/browser';
import { pathOf } from '../support/pay-page';

/** What a payer in each language reads: money by their own conventions, and the page in their words. */
const languages = [
  { lang: 'en', browser: 'en-GB', amount: '€1,234.56', pay: 'Pay €1,234.56', days: 'Valid for 5 more days' },
  {
    lang: 'de',
    browser: 'de-DE',
    amount: '1.234,56 €',
    pay: '1.234,56 € bezahlen',
    days: 'Noch 5 Tage gültig',
  },
  {
    lang: 'fr',
    browser: 'fr-FR',
    amount: '1 234,56 €',
    pay: 'Payer 1 234,56 €',
    days: 'Valable encore 5 jours',
  },
  { lang: 'es', browser: 'es-ES', amount: '1234,56 €', pay: 'Pagar 1234,56 €', days: 'Válido 5 días más' },
  {
    lang: 'nl',
    browser: 'nl-NL',
    amount: '€ 1.234,56',
    pay: '€ 1.234,56 betalen',
    days: 'Nog 5 dagen geldig',
  },
];

// Intl writes thin and no-break spaces (fr "1 234,56 €"); the payer sees spaces.
const plain = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ').trim();

let path = '';
let goneAfterDelete = '';
beforeAll(async () => {
  const workspace = await signUpWorkspace();
  path = pathOf(await createLink(workspace, { amount: '1234.56', validityDays: 5 }));
  const gone = await createLink(workspace);
  await workspace.api.DELETE('/api/payment-links/{id}', { params: { path: { id: gone.id } } });
  goneAfterDelete = pathOf(gone);
});

describe('the payment page in the payer’s language', () => {
  it.each(languages)(
    'speaks $lang from the browser’s Accept-Language, with money as $amount',
    async (language) => {
      const { page, close } = await openPage(language.lang === 'de' ? 'phone' : 'desktop', {
        javaScriptEnabled: false,
        locale: language.browser,
      });
      try {
        await page.goto(path);
        await expect(page.locator('html').getAttribute('lang')).resolves.toBe(language.lang);
        await expect(page.locator('html').getAttribute('dir')).resolves.toBe('ltr');
        expect(plain(await page.locator('.amount').textContent())).toMatch(language.amount);
        expect(plain(await page.getByRole('button').textContent())).toBe(language.pay);
        // Days left, then the deadline itself in the payer's date format (in UTC, named as such).
        const deadline = page.locator('.deadline time');
        const expiresAt = new Date((await deadline.getAttribute('datetime')) ?? '');
        const written = new Intl.DateTimeFormat(language.lang, {
          day: 'numeric',
          month: 'short',
          year: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
          timeZone: 'UTC',
          timeZoneName: 'short',
        }).format(expiresAt);
        expect(plain(await page.locator('.deadline').textContent())).toBe(
          plain(`${language.days} (${written})`),
        );
        expect(Math.round((expiresAt.getTime() - Date.now()) / 86_400_000)).toBe(5);
        await screenshot(page, `pay-lang-${language.lang}`);
        // The states are translated too.
        const response = await page.goto(goneAfterDelete);
        expect(response?.status()).toBe(410);
        const english = 'This payment link is no longer available';
        const heading = await page.getByRole('heading', { level: 1 }).textContent();
        if (language.lang === 'en') expect(heading).toBe(english);
        else expect(heading).not.toBe(english);
      } finally {
        await close();
      }
    },
  );

  it('switches language with a plain link and remembers the choice on the next visit', async () => {
    const { page, close } = await openPage('phone', { javaScriptEnabled: false, locale: 'en-GB' });
    try {
      await page.goto(path);
      await page.getByRole('link', { name: 'Nederlands' }).click();
      await page.waitForURL(/\?lang=nl$/);
      await expect(page.getByRole('link', { name: 'Nederlands' }).getAttribute('aria-current')).resolves.toBe(
        'true',
      );
      await page.goto(path);
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('nl');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Course deposit');
      expect(plain(await page.getByRole('button').textContent())).toBe('€ 1.234,56 betalen');
    } finally {
      await close();
    }
  });
});
