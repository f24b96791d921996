import { describe, expect, inject, it } from 'vitest';
import { createLink, signUpWorkspace, type Workspace } from '../support/api-helpers';
import { apiCheckout, apiVisit, sandboxCard } from '../support/pay-page';
import { checkScreen, open, signedIn, submit } from './crm-payments-support';

/** Three payments a team member would tell apart: paid in EUR, paid in JPY, still open in EUR. */
async function threePayments(workspace: Workspace) {
  const paid = await createLink(workspace, { amount: '80.00', description: 'Violin course' });
  await apiCheckout(paid, await apiVisit(paid), sandboxCard.pays);
  const yen = await createLink(workspace, { amount: '5000', currency: 'JPY', description: 'Tea ceremony' });
  await apiCheckout(yen, await apiVisit(yen), sandboxCard.pays);
  const open = await createLink(workspace, { amount: '19.99', description: 'Sheet music' });
  const processingId = await apiVisit(open);
  return { processingId };
}

const rows = (page: import('playwright-core').Page) => page.locator('tbody tr[data-payment-id]');
const totals = (page: import('playwright-core').Page) =>
  page
    .getByTestId('payment-totals')
    .locator('li')
    .allTextContents()
    .then((texts) => texts.map((text) => text.replace(/\s+/g, ' ').trim()));

describe('the Payments section', () => {
  it('lists every payment with totals per currency, filters them in the URL and exports the same filter as CSV', async () => {
    const workspace = await signUpWorkspace();
    await threePayments(workspace);
    const journey = await signedIn(workspace, 'desktop');
    try {
      const page = await open(journey, '/payments');
      await expect(rows(page).count()).resolves.toBe(3);
      await expect(totals(page)).resolves.toEqual(['€99.99 2 payments', '¥5,000 1 payment']);
      await checkScreen(journey, 'crm-payments-section-desktop');

      await page.getByLabel('Status').selectOption('completed');
      await page.getByText('Dates, currency and amounts').click();
      await page.getByLabel('Currency').fill('eur');
      await Promise.all([
        page.waitForURL(/status=completed/),
        page.getByRole('button', { name: 'Apply filter' }).click(),
      ]);
      await expect(rows(page).allTextContents()).resolves.toEqual([expect.stringContaining('Violin course')]);
      await expect(totals(page)).resolves.toEqual(['€80.00 1 payment']);

      // The CSV link carries the same filter; it downloads as the signed-in member.
      const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
      expect(href).toBe('/api/payments/export.csv?status=completed&currency=EUR');
      const csv = await page.evaluate(async (url) => (await fetch(url!)).text(), href);
      expect(csv).toContain('Violin course');
      expect(csv).not.toContain('Tea ceremony');
      expect(csv).not.toContain('Sheet music');

      // An amount range the API refuses shows by its field.
      await page.goto('/payments?minAmount=10');
      await expect(page.locator('#currency-error').textContent()).resolves.toMatch(/currency/i);
      await expect(page.getByLabel('Currency').getAttribute('aria-invalid')).resolves.toBe('true');
    } finally {
      await journey.close();
    }
  });

  it('opens a payment with its timeline and confirms it there', async () => {
    const workspace = await signUpWorkspace();
    const { processingId } = await threePayments(workspace);
    const journey = await signedIn(workspace, 'phone');
    try {
      const page = await open(journey, '/payments?q=sheet');
      await expect(rows(page).count()).resolves.toBe(1);
      await checkScreen(journey, 'crm-payments-section-phone');
      await Promise.all([
        page.waitForURL(`**/payments/${processingId}`),
        rows(page).getByRole('link').first().click(),
      ]);
      await page.waitForSelector('html[data-hydrated="true"]', { state: 'attached' });
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('€19.99');
      await expect(page.locator('ol li').first().textContent()).resolves.toContain('Recorded as Processing');

      await page.getByText('Confirm payment', { exact: true }).click();
      await page.getByLabel('Reference').fill('TRANSFER-7');
      await submit(page, page.getByRole('button', { name: 'Confirm payment received' }));
      await page.getByRole('status').filter({ hasText: 'Payment confirmed.' }).waitFor();
      await expect(page.locator('[data-status]').first().textContent()).resolves.toBe(
        'Confirmed by team member',
      );
      await expect(page.locator('ol li').last().textContent()).resolves.toMatch(
        /Processing → Confirmed by team member.*Team member · Ada Owner.*Reference: TRANSFER-7/s,
      );
      await checkScreen(journey, 'crm-payments-detail-phone');
    } finally {
      await journey.close();
    }
  });

  it('filters and shows a payment without JavaScript', async () => {
    const workspace = await signUpWorkspace();
    await threePayments(workspace);
    const journey = await signedIn(workspace, 'desktop', { javaScriptEnabled: false });
    try {
      const page = await open(journey, '/payments', false);
      await page.getByLabel('Search').fill('tea');
      await Promise.all([
        page.waitForURL(/q=tea/),
        page.getByRole('button', { name: 'Apply filter' }).click(),
      ]);
      await expect(rows(page).allTextContents()).resolves.toEqual([expect.stringContaining('Tea ceremony')]);
      await expect(totals(page)).resolves.toEqual(['¥5,000 1 payment']);
      await Promise.all([
        page.waitForURL(/\/payments\/[0-9a-f-]{36}$/),
        rows(page).getByRole('link').first().click(),
      ]);
      await expect(page.locator('ol li').count()).resolves.toBeGreaterThan(1);
      // The email the payer typed, and a refund of a part, without JavaScript (yen: no decimals).
      await expect(page.getByRole('link', { name: 'payer@example.com' }).count()).resolves.toBe(1);
      await page.getByText('Refund', { exact: true }).click();
      const amount = page.getByLabel('Amount to refund (JPY)');
      await expect(amount.inputValue()).resolves.toBe('5000');
      await amount.fill('1500');
      await submit(page, page.getByRole('button', { name: 'Refund this amount' }));
      await expect(page.getByTestId('refunded').textContent()).resolves.toBe('¥1,500');
      await expect(page.getByTestId('refund-left').textContent()).resolves.toBe('¥3,500');
      await expect(page.locator('[data-status]').first().textContent()).resolves.toBe('Complete');
      expect(journey.cspViolations).toEqual([]);
      // The export answers the same filter to the member's cookie outside the page too.
      const csv = await fetch(`${inject('baseUrl')}/api/payments/export.csv?q=tea`, {
        headers: { cookie: workspace.cookie },
      });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="payments-/);
    } finally {
      await journey.close();
    }
  });
});
