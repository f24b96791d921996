import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signUpWorkspace } from '../support/api-helpers';
import { openPage } from '../support/browser';
import { apiCheckout, apiVisit, sandboxCard } from '../support/pay-page';
import {
  checkScreen,
  contactAndDeal,
  createLinkInTab,
  dealLink,
  linkItem,
  moveOnComplete,
  open,
  paymentItem,
  signedIn,
  submit,
} from './crm-payments-support';

/** The payer's side, in a browser context of their own: the payment page with the sandbox card. */
async function payInAnotherBrowser(url: string) {
  const payer = await openPage('phone', { javaScriptEnabled: false });
  try {
    await payer.page.goto(url);
    await payer.page.getByLabel('Email').fill('payer@example.com');
    await payer.page.getByLabel('Phone').fill('+31 6 12345678');
    await payer.page.getByLabel('Card number').fill(sandboxCard.pays);
    await payer.page.getByLabel('Expiry date').fill('1239');
    await payer.page.getByLabel('Security code').fill('123');
    await Promise.all([
      payer.page.waitForURL(/\/return\?payment=/),
      payer.page.getByRole('button', { name: /^Pay / }).click(),
    ]);
    return await payer.page.getByRole('heading', { level: 1 }).textContent();
  } finally {
    await payer.close();
  }
}

const badgeOf = (page: Page, description: string) => paymentItem(page, description).locator('[data-status]');

describe('the Payments tab on a deal', () => {
  it('creates a link, copies it, and once a payer pays it in another browser the deal shows Complete, moves to Won and loses the link', async () => {
    const workspace = await signUpWorkspace();
    const { contact, deal } = await contactAndDeal(workspace);
    const won = await moveOnComplete(workspace, 'Won');
    const journey = await signedIn(workspace, 'desktop', { clipboard: true });
    try {
      const page = await open(journey, `/deals/${deal.id}?tab=payments`);
      await page.getByText('Create payment', { exact: true }).click();
      // The payer is the deal's contact, filled in.
      await expect(page.getByLabel('Payer name').inputValue()).resolves.toBe(contact.name);
      await expect(page.getByLabel('Payer email').inputValue()).resolves.toBe(contact.email);
      await expect(page.getByLabel('Payment method').locator('option').allTextContents()).resolves.toEqual([
        'Sandbox (test mode)',
      ]);
      await page.getByLabel('Payment description').fill('Piano lessons, spring');
      await page.getByLabel('Amount', { exact: true }).fill('49.90');
      await submit(page, page.getByRole('button', { name: 'Create link' }));

      const created = page.getByTestId('created-link');
      const url = await created.getByLabel('Payment link', { exact: true }).inputValue();
      expect(url).toMatch(/\/pay\/[A-Za-z0-9_-]{22,}$/);
      await expect(created.locator('[role="img"] svg path').count()).resolves.toBeGreaterThan(0);
      await created.getByRole('button', { name: 'Copy' }).click();
      await page.getByRole('status').filter({ hasText: 'Copied' }).first().waitFor();
      await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(url);
      // The new link is listed with its days left by the clock.
      await expect(
        linkItem(page, 'Piano lessons, spring').locator('[data-days-left]').textContent(),
      ).resolves.toMatch(/7 days left/);
      await checkScreen(journey, 'crm-payments-tab-created-desktop');

      await expect(payInAnotherBrowser(url)).resolves.toBe('Payment complete');

      await open(journey, `/deals/${deal.id}?tab=payments`);
      await expect(badgeOf(page, 'Piano lessons, spring').textContent()).resolves.toBe('Complete');
      await expect(paymentItem(page, 'Piano lessons, spring').textContent()).resolves.toContain('€49.90');
      // Paid once, a deal link leaves the deal.
      await expect(linkItem(page, 'Piano lessons, spring').count()).resolves.toBe(0);
      await expect(page.getByText('No open payment links.').isVisible()).resolves.toBe(true);
      const moved = await workspace.api.GET('/api/deals/{id}', { params: { path: { id: deal.id } } });
      expect(moved.data?.stageId).toBe(won);
      await checkScreen(journey, 'crm-payments-tab-paid-desktop');
    } finally {
      await journey.close();
    }
  });

  it('shows a declined payment as Cancelled, confirms a Processing one by hand with a note, and refunds it', async () => {
    const workspace = await signUpWorkspace();
    const { deal } = await contactAndDeal(workspace);
    const declinedLink = await dealLink(workspace, deal.id, 'Declined deposit');
    await apiCheckout(declinedLink, await apiVisit(declinedLink), sandboxCard.declined);
    const openedLink = await dealLink(workspace, deal.id, 'Bank transfer deposit', '120.00');
    await apiVisit(openedLink);

    const journey = await signedIn(workspace, 'phone');
    try {
      const page = await open(journey, `/deals/${deal.id}?tab=payments`);
      await expect(badgeOf(page, 'Declined deposit').textContent()).resolves.toBe('Cancelled');
      const processing = paymentItem(page, 'Bank transfer deposit');
      await expect(processing.locator('[data-status]').textContent()).resolves.toBe('Processing');
      await processing.getByText('Confirm payment', { exact: true }).click();
      await processing.getByLabel('Note').fill('Paid at the front desk');
      await processing.getByLabel('Reference').fill('DESK-42');
      await checkScreen(journey, 'crm-payments-tab-confirm-phone');
      await submit(page, processing.getByRole('button', { name: 'Confirm payment received' }));
      await page.getByRole('status').filter({ hasText: 'Payment confirmed.' }).waitFor();
      await expect(badgeOf(page, 'Bank transfer deposit').textContent()).resolves.toBe(
        'Confirmed by team member',
      );

      // A part first, with a reason; the rest (what the form then offers) returns the payment.
      const confirmed = paymentItem(page, 'Bank transfer deposit');
      await confirmed.getByText('Refund', { exact: true }).click();
      await confirmed.getByLabel('Amount to refund (EUR)').fill('20');
      await confirmed.getByLabel('Reason').fill('Deposit lowered');
      await submit(page, confirmed.getByRole('button', { name: 'Refund this amount' }));
      await page.getByRole('status').filter({ hasText: 'Refund made.' }).waitFor();
      const partly = paymentItem(page, 'Bank transfer deposit');
      await partly.getByText('Refunded: €20.00').waitFor();
      await expect(badgeOf(page, 'Bank transfer deposit').textContent()).resolves.toBe(
        'Confirmed by team member',
      );
      await partly.getByText('Refund', { exact: true }).click();
      await expect(partly.getByLabel('Amount to refund (EUR)').inputValue()).resolves.toBe('100.00');
      await submit(page, partly.getByRole('button', { name: 'Refund this amount' }));
      await page.getByRole('status').filter({ hasText: 'Payment refunded.' }).waitFor();
      await expect(badgeOf(page, 'Bank transfer deposit').textContent()).resolves.toBe('Returned');
      const { data } = await workspace.api.GET('/api/payments', { params: { query: { dealId: deal.id } } });
      const returned = data?.items.find((payment) => payment.description === 'Bank transfer deposit');
      expect(returned).toMatchObject({ status: 'returned', confirmedBy: { name: 'Ada Owner' } });
      await checkScreen(journey, 'crm-payments-tab-refunded-phone');
      await open(journey, `/payments/${returned!.id}`);
      await page.getByRole('heading', { name: 'Refunds' }).waitFor();
      await expect(page.getByTestId('refunded').textContent()).resolves.toBe('€120.00');
      await checkScreen(journey, 'crm-payment-refunds-phone');
    } finally {
      await journey.close();
    }
  });

  it('deletes a link after the confirmation dialog, and keeps it when the member says so', async () => {
    const workspace = await signUpWorkspace();
    const { deal } = await contactAndDeal(workspace);
    const link = await dealLink(workspace, deal.id, 'Old offer');
    const journey = await signedIn(workspace, 'desktop');
    try {
      const page = await open(journey, `/deals/${deal.id}?tab=payments`);
      const trash = page.getByRole('button', { name: 'Delete the link “Old offer”' });
      await trash.click();
      const dialog = page.getByRole('dialog', { name: 'Delete this payment link?' });
      await dialog.waitFor();
      await checkScreen(journey, 'crm-payments-tab-delete-dialog-desktop');
      await dialog.getByRole('button', { name: 'Keep it' }).click();
      await expect(dialog.isVisible()).resolves.toBe(false);
      await expect(linkItem(page, 'Old offer').count()).resolves.toBe(1);

      await trash.click();
      await submit(page, dialog.getByRole('button', { name: 'Delete link' }));
      await page.getByRole('status').filter({ hasText: 'Deleted the link “Old offer”' }).waitFor();
      await expect(linkItem(page, 'Old offer').count()).resolves.toBe(0);
      const gone = await workspace.api.GET('/api/payment-links/{id}', { params: { path: { id: link.id } } });
      expect(gone.data?.state).toBe('deleted');
    } finally {
      await journey.close();
    }
  });
});

describe('the Payments tab on a contact card', () => {
  it('fills in the contact as payer; its link stays on the card after payment, and the payment gets a deal', async () => {
    const workspace = await signUpWorkspace();
    const { contact } = await contactAndDeal(workspace, 'Katherine Johnson');
    const journey = await signedIn(workspace, 'phone');
    try {
      const page = await open(journey, `/contacts/${contact.id}?tab=payments`);
      await page.getByText('Create payment', { exact: true }).click();
      await expect(page.getByLabel('Payer name').inputValue()).resolves.toBe('Katherine Johnson');
      await page.getByLabel('Payment description').fill('Membership');
      await page.getByLabel('Amount', { exact: true }).fill('15');
      await page.getByLabel('No limit').check();
      await submit(page, page.getByRole('button', { name: 'Create link' }));
      const url = await page
        .getByTestId('created-link')
        .getByLabel('Payment link', { exact: true })
        .inputValue();
      await checkScreen(journey, 'crm-payments-tab-contact-created-phone');

      const { data: links } = await workspace.api.GET('/api/payment-links', {
        params: { query: { contactId: contact.id } },
      });
      const link = links!.items.find((candidate) => candidate.url === url)!;
      expect(link).toMatchObject({ origin: 'contact', validityDays: null, amount: { amount: '15.00' } });
      await apiCheckout(link, await apiVisit(link), sandboxCard.pays);

      await open(journey, `/contacts/${contact.id}?tab=payments`);
      await expect(badgeOf(page, 'Membership').textContent()).resolves.toBe('Complete');
      await expect(linkItem(page, 'Membership').locator('[data-days-left]').textContent()).resolves.toMatch(
        /No limit/,
      );
      const { data: payments } = await workspace.api.GET('/api/payments', {
        params: { query: { contactId: contact.id } },
      });
      expect(payments?.items[0]?.dealId).toEqual(expect.any(String));
      await checkScreen(journey, 'crm-payments-tab-contact-paid-phone');
    } finally {
      await journey.close();
    }
  });
});

describe('the Payments tab without JavaScript', () => {
  it('creates a link (selectable, with its QR code), refuses a bad amount by its field, confirms a payment and deletes a link after a second step', async () => {
    const workspace = await signUpWorkspace();
    const { deal } = await contactAndDeal(workspace);
    const opened = await dealLink(workspace, deal.id, 'Cash at the door', '30.00');
    await apiVisit(opened);
    const journey = await signedIn(workspace, 'desktop', { javaScriptEnabled: false });
    try {
      const page = await open(journey, `/deals/${deal.id}?tab=payments`, false);
      await createLinkInTab(page, { description: 'Workshop', amount: '12.345' });
      const amount = page.getByLabel('Amount', { exact: true });
      await expect(amount.getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(page.locator('#amount-error').textContent()).resolves.toMatch(/decimal|EUR/i);
      await expect(page.getByLabel('Payment description').inputValue()).resolves.toBe('Workshop');

      await amount.fill('12.50');
      await submit(page, page.getByRole('button', { name: 'Create link' }));
      const created = page.getByTestId('created-link');
      await expect(
        created.getByLabel('Payment link', { exact: true }).getAttribute('readonly'),
      ).resolves.toBe('');
      await expect(created.getByRole('button', { name: 'Copy' }).count()).resolves.toBe(0);
      await expect(created.locator('[role="img"] svg').count()).resolves.toBe(1);

      const processing = paymentItem(page, 'Cash at the door');
      await processing.getByText('Confirm payment', { exact: true }).click();
      await submit(page, processing.getByRole('button', { name: 'Confirm payment received' }));
      await expect(badgeOf(page, 'Cash at the door').textContent()).resolves.toBe('Confirmed by team member');

      await submit(page, page.getByRole('button', { name: 'Delete the link “Workshop”' }));
      const question = page.getByRole('region', { name: 'Delete this payment link?' });
      await expect(question.textContent()).resolves.toContain('“Workshop” stops being payable at once');
      await expect(linkItem(page, 'Workshop').count()).resolves.toBe(1);
      await submit(page, question.getByRole('button', { name: 'Delete link' }));
      await expect(linkItem(page, 'Workshop').count()).resolves.toBe(0);
      expect(journey.cspViolations).toEqual([]);
    } finally {
      await journey.close();
    }
  });
});
