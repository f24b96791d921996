import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLink, signUpWorkspace, type Workspace } from '../support/api-helpers';
import { type JourneyPage, openPage, screenshot, viewports } from '../support/browser';
import {
  apiCheckout,
  apiVisit,
  createDealLink,
  pathOf,
  sandboxCard,
  seriousAxeViolations,
} from '../support/pay-page';
import { openSettings, signedIn, submit } from './crm-settings-support';

const accent = '#2563eb';
const accentRgb = 'rgb(37, 99, 235)';
let workspace: Workspace;
const states: { name: string; path: string; status: number }[] = [];

beforeAll(async () => {
  workspace = await signUpWorkspace('Branding Ltd');
  const [active, deleted, paid, processing, cancelled, complete] = await Promise.all([
    createLink(workspace, { description: 'Logo design, first half', amount: '480.00' }),
    createLink(workspace),
    createDealLink(workspace),
    createLink(workspace),
    createLink(workspace),
    createLink(workspace),
  ]);
  const [paidPayment, processingPayment, cancelledPayment, completePayment] = await Promise.all([
    apiVisit(paid),
    apiVisit(processing),
    apiVisit(cancelled),
    apiVisit(complete),
  ]);
  await Promise.all([
    workspace.api.DELETE('/api/payment-links/{id}', { params: { path: { id: deleted.id } } }),
    apiCheckout(paid, paidPayment, sandboxCard.pays),
    apiCheckout(cancelled, cancelledPayment, sandboxCard.declined),
    apiCheckout(complete, completePayment, sandboxCard.pays),
  ]);
  const returnPath = (link: typeof active, payment: string) => `${pathOf(link)}/return?payment=${payment}`;
  states.push(
    { name: 'active', path: pathOf(active), status: 200 },
    { name: 'deleted', path: pathOf(deleted), status: 410 },
    { name: 'paid', path: pathOf(paid), status: 410 },
    { name: 'processing', path: returnPath(processing, processingPayment), status: 200 },
    { name: 'cancelled', path: returnPath(cancelled, cancelledPayment), status: 200 },
    { name: 'complete', path: returnPath(complete, completePayment), status: 200 },
  );
});

/** A logo drawn by the browser itself: a brand-coloured mark and a wordmark, as PNG bytes. */
async function drawLogo(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate((colour) => {
    const canvas = document.createElement('canvas');
    canvas.width = 240;
    canvas.height = 64;
    const context = canvas.getContext('2d')!;
    context.fillStyle = colour;
    context.beginPath();
    context.arc(32, 32, 28, 0, Math.PI * 2);
    context.fill();
    context.fillStyle = '#16181d';
    context.font = 'bold 34px sans-serif';
    context.fillText('ACME', 72, 45);
    return canvas.toDataURL('image/png');
  }, accent);
  return Buffer.from(dataUrl.split(',')[1]!, 'base64');
}

describe('branding set through the settings screen', () => {
  it('without JavaScript: refuses a low-contrast colour with the contrast reached, saves the brand, uploads the logo', async () => {
    const journey = await signedIn(workspace.cookie, 'desktop', { javaScriptEnabled: false });
    const drawing = await openPage('desktop');
    try {
      const logo = await drawLogo(drawing.page);
      const page = await openSettings(journey, '/settings/branding', false);
      await page.getByLabel('Display name').fill('Acme Studio');
      await page.getByLabel('Accent colour').fill('#ffcc00');
      await submit(page, page.getByRole('button', { name: 'Save branding' }));
      const colour = page.getByLabel('Accent colour');
      await expect(colour.getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(page.locator('#accentColor-error').textContent()).resolves.toMatch(/1\.38:1.*4\.5:1/);
      await colour.fill(accent);
      await page.getByLabel('Support email').fill('help@acme.example');
      await page.getByLabel('Support page').fill('https://acme.example/help');
      await page.getByLabel('Thank-you message').fill('Thank you! We start on your logo on Monday.');
      await submit(page, page.getByRole('button', { name: 'Save branding' }));
      await expect(page.getByText('Branding saved.').isVisible()).resolves.toBe(true);
      await expect(page.locator('[data-dark-scheme="true"]').count()).resolves.toBe(1);
      await page
        .getByLabel('Logo file')
        .setInputFiles({ name: 'acme.png', mimeType: 'image/png', buffer: logo });
      await submit(page, page.getByRole('button', { name: 'Upload logo' }));
      await expect(page.getByText('Logo uploaded.').isVisible()).resolves.toBe(true);
      await expect(page.locator('[data-logo-preview]').count()).resolves.toBe(1);
    } finally {
      await journey.close();
      await drawing.close();
    }
  });

  it('with JavaScript: a PNG renamed .jpg is refused by its field; the screen passes axe', async () => {
    const journey = await signedIn(workspace.cookie, 'phone');
    try {
      const page = await openSettings(journey, '/settings/branding');
      const png = await drawLogo(page);
      await page
        .getByLabel('Logo file')
        .setInputFiles({ name: 'acme.jpg', mimeType: 'image/jpeg', buffer: png });
      await submit(page, page.getByRole('button', { name: 'Upload logo' }));
      await expect(page.locator('#logo-error').textContent()).resolves.toContain(
        'image/jpeg, but its bytes are image/png',
      );
      // 5 MB: said by the field at once, never sent (the web server would answer a bare 413).
      const posts: string[] = [];
      page.on('request', (request) => {
        if (request.method() === 'POST') posts.push(request.url());
      });
      await page.getByLabel('Logo file').setInputFiles({
        name: 'huge.png',
        mimeType: 'image/png',
        buffer: Buffer.concat([png, Buffer.alloc(5 * 1024 * 1024)]),
      });
      await page.getByRole('button', { name: 'Upload logo' }).click();
      await page.locator('#logo-error', { hasText: 'The file is larger than 200 KB.' }).waitFor();
      expect(posts).toEqual([]);
      // The logo uploaded before stays, and it loads from our origin.
      const preview = page.locator('[data-logo-preview]');
      await expect(
        preview.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth)),
      ).resolves.toBe(240);
      expect(await seriousAxeViolations(page)).toEqual([]);
      expect(journey.cspViolations).toEqual([]);
      await screenshot(page, 'branding-settings-phone');
    } finally {
      await journey.close();
    }
  });
});

describe('every payer page state shows the brand', () => {
  let journey: JourneyPage;
  beforeAll(async () => {
    journey = await openPage('desktop');
  });
  afterAll(() => journey.close());

  it('name, logo, support contact and accent colour, the thank-you after payment; axe and the CSP hold; phone and desktop widths', async () => {
    const { page } = journey;
    expect(states).toHaveLength(6);
    for (const state of states) {
      const response = await page.goto(state.path);
      expect(response?.status(), state.name).toBe(state.status);
      await expect(page.locator('.brand-name').textContent(), state.name).resolves.toBe('Acme Studio');
      const logo = page.locator('[data-brand-logo]');
      await expect(
        logo.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth)),
      ).resolves.toBe(240);
      const support = page.locator('[data-support]');
      await expect(
        support.getByRole('link', { name: 'help@acme.example' }).getAttribute('href'),
      ).resolves.toBe('mailto:help@acme.example');
      await expect(
        support.getByRole('link', { name: 'Help and contact' }).evaluate((a) => getComputedStyle(a).color),
      ).resolves.toBe(accentRgb);
      await expect(page.locator('[data-thank-you]').count(), state.name).resolves.toBe(
        state.name === 'complete' ? 1 : 0,
      );
      const waived = state.name === 'processing' ? ['meta-refresh'] : [];
      expect(await seriousAxeViolations(page, waived), state.name).toEqual([]);
      await screenshot(page, `pay-branded-${state.name}-desktop`);
      await page.setViewportSize(viewports.phone.viewport);
      await screenshot(page, `pay-branded-${state.name}-phone`);
      await page.setViewportSize(viewports.desktop.viewport);
    }
    await page.goto(states[0]!.path);
    await expect(
      page.getByRole('button', { name: /^Pay / }).evaluate((b) => getComputedStyle(b).backgroundColor),
    ).resolves.toBe(accentRgb);
    // The colour passes on a dark page too, so the page follows the payer's dark preference.
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor)).resolves.toBe(
      'rgb(17, 19, 24)',
    );
    expect(await seriousAxeViolations(page), 'dark').toEqual([]);
    await page.setViewportSize(viewports.phone.viewport);
    await screenshot(page, 'pay-branded-active-dark-phone');
    expect(journey.cspViolations).toEqual([]);
  }, 30_000);
});
