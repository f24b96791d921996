import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { createLink, signUpWorkspace } from '../support/api-helpers';
import { openPage, screenshot } from '../support/browser';
import { pathOf, paymentCount, sandboxCard, seriousAxeViolations, watchScripts } from '../support/pay-page';

const baseUrl = inject('baseUrl');

async function fillDetails(page: Page, cardNumber: string, phone = '+31 6 12345678') {
  await page.getByLabel('Email').fill('payer@example.com');
  await page.getByLabel('Phone').fill(phone);
  await page.getByLabel('Card number').fill(cardNumber);
  await page.getByLabel('Expiry date').fill('1239');
  await page.getByLabel('Security code').fill('123');
}

const pay = (page: Page) =>
  Promise.all([page.waitForURL(/\/return\?payment=/), page.getByRole('button', { name: /^Pay / }).click()]);

describe('paying on the payment page', () => {
  for (const javaScriptEnabled of [false, true]) {
    const viewport = javaScriptEnabled ? 'phone' : 'desktop';
    it(`pays with JavaScript ${javaScriptEnabled ? 'on' : 'off'} (${viewport}): the form posts to our origin and lands on Payment complete`, async () => {
      const workspace = await signUpWorkspace();
      const link = await createLink(workspace, { amount: '49.90' });
      const { page, cspViolations, close } = await openPage(viewport, { javaScriptEnabled });
      try {
        const scripts = watchScripts(page);
        await page.goto(pathOf(link));
        await fillDetails(page, sandboxCard.pays);
        await pay(page);
        await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Payment complete');
        await expect(page.locator('main').textContent()).resolves.toContain('€49.90 for Course deposit');
        expect(scripts).toEqual([]);
        expect(cspViolations).toEqual([]);
        // What the payer typed is for the team, never on the public page.
        const html = await page.content();
        expect(html).not.toContain('payer@example.com');
        expect(html).not.toContain('12345678');
        const { data } = await workspace.api.GET('/api/payments');
        expect(data?.items.map((payment) => payment.status)).toEqual(['complete']);
        expect(data?.items[0]).toMatchObject({ payerEmail: 'payer@example.com', payerPhone: '+31612345678' });
      } finally {
        await close();
      }
    });
  }

  it('shows a declined card by the card field, keeps what the payer typed, and pays with the next card', async () => {
    const workspace = await signUpWorkspace();
    const link = await createLink(workspace);
    // JavaScript on for axe, which the test injects; the page itself runs none.
    const { page, close } = await openPage('phone');
    try {
      await page.goto(pathOf(link));
      await fillDetails(page, sandboxCard.declined);
      const [declined] = await Promise.all([
        page.waitForResponse((response) => response.request().method() === 'POST'),
        page.getByRole('button', { name: /^Pay / }).click(),
      ]);
      await page.waitForLoadState();
      expect(declined.status()).toBe(402);
      const card = page.getByLabel('Card number');
      await expect(card.getAttribute('aria-invalid')).resolves.toBe('true');
      const describedBy = (await card.getAttribute('aria-describedby')) ?? '';
      await expect(page.locator(`#${describedBy.split(' ').pop()}`).textContent()).resolves.toMatch(
        /declined\. No money was taken\. Try another card/,
      );
      await expect(page.getByLabel('Email').inputValue()).resolves.toBe('payer@example.com');
      // The card itself is never sent back into the page.
      await expect(card.inputValue()).resolves.toBe('');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'pay-declined-phone');

      await fillDetails(page, sandboxCard.pays);
      await pay(page);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Payment complete');
      // One payment: the decline and the success are the same checkout.
      expect(await paymentCount(workspace)).toBe(1);
    } finally {
      await close();
    }
  });

  it('ties a field the API refused to that field, translated', async () => {
    const link = await createLink(await signUpWorkspace());
    const { page, close } = await openPage('desktop', { javaScriptEnabled: false, locale: 'de-DE' });
    try {
      await page.goto(pathOf(link));
      await page.getByLabel('E-Mail').fill('payer@example.com');
      await page.getByLabel('Telefon').fill('12');
      await page.getByLabel('Kartennummer').fill(sandboxCard.pays);
      await page.getByLabel('Ablaufdatum').fill('12/39');
      await page.getByLabel('Prüfnummer').fill('123');
      await page.getByRole('button', { name: /bezahlen$/ }).click();
      await page.waitForLoadState();
      const phone = page.getByLabel('Telefon');
      await expect(phone.getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(phone.getAttribute('aria-describedby')).resolves.toBe('phone-hint phone-error');
      await expect(page.locator('#phone-error').textContent()).resolves.toMatch(/gültige Telefonnummer/);
      await expect(page.getByRole('alert').getByRole('link').textContent()).resolves.toMatch(/^Telefon: /);
      await screenshot(page, 'pay-field-error-desktop');
    } finally {
      await close();
    }
  });
});

describe('the payment page as served', () => {
  it('is not cached, keeps the referrer on our origin, cannot be framed and names the business but nothing else from the CRM', async () => {
    const workspace = await signUpWorkspace('Secret Workspace Name');
    const link = await createLink(workspace);
    const response = await fetch(`${baseUrl}${pathOf(link)}`, { headers: { 'user-agent': 'Mozilla/5.0' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    // Plain http here: HSTS only when PUBLIC_URL is https.
    expect(response.headers.get('strict-transport-security')).toBeNull();
    const html = await response.text();
    expect(html).not.toMatch(/<script/);
    expect(html).not.toMatch(/modulepreload|rel="prefetch"|data-sveltekit-preload/);
    // The business is named as its brand (the workspace's name until Settings › Branding sets one);
    // the link's payer (Grace Payer, payer-…@example.com) and the team stay in the CRM.
    expect(html).toContain('Secret Workspace Name');
    expect(html).not.toMatch(/Grace|payer-|Ada Owner/);
    const gone = await fetch(`${baseUrl}/pay/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    expect(gone.status).toBe(404);
    expect(gone.headers.get('cache-control')).toBe('no-store');
  });

  it('records one click-through for a person, and none for a preview bot, a prefetch, a HEAD or a refresh', async () => {
    const workspace = await signUpWorkspace();
    const link = await createLink(workspace);
    const url = `${baseUrl}${pathOf(link)}`;
    const chrome =
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';
    const visits: Record<string, string>[] = [
      { 'user-agent': 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)' },
      { 'user-agent': 'WhatsApp/2.23.20.0' },
      { 'user-agent': chrome, 'sec-purpose': 'prefetch' },
      { 'user-agent': chrome, 'sec-purpose': 'prefetch;prerender' },
    ];
    for (const headers of visits) {
      const response = await fetch(url, { headers });
      expect(response.status, JSON.stringify(headers)).toBe(200);
      // A bot or prefetch gets no visitor cookie either.
      expect(response.headers.get('set-cookie') ?? '').not.toContain('paylinks_visitor');
    }
    expect((await fetch(url, { method: 'HEAD', headers: { 'user-agent': chrome } })).status).toBe(200);
    expect(await paymentCount(workspace)).toBe(0);

    const { page, context, close } = await openPage('phone', { javaScriptEnabled: false });
    try {
      await page.goto(pathOf(link));
      const cookies = await context.cookies();
      expect(cookies.find((cookie) => cookie.name === 'paylinks_visitor')?.httpOnly).toBe(true);
      await page.reload();
      expect(await paymentCount(workspace)).toBe(1);
    } finally {
      await close();
    }
  });
});
