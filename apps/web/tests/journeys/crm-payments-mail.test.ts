import { describe, expect, inject, it } from 'vitest';
import { signUpWorkspace } from '../support/api-helpers';
import { screenshot } from '../support/browser';
import { waitForMail } from '../support/mail-capture';
import { apiVisit } from '../support/pay-page';
import {
  checkScreen,
  contactAndDeal,
  dealLink,
  linkItem,
  open,
  signedIn,
  submit,
} from './crm-payments-support';

describe('sending a link by email from the Payments tab', () => {
  it("mails the deal's link to the payer in their language, with the message escaped, and shows it as sent", async () => {
    const workspace = await signUpWorkspace('Ada Courses');
    const { contact, deal } = await contactAndDeal(workspace);
    await workspace.api.PATCH('/api/contacts/{id}', {
      params: { path: { id: contact.id } },
      body: { language: 'de' },
    });
    const link = await dealLink(workspace, deal.id, 'Klavierkurs Frühling', '1249.90');
    const journey = await signedIn(workspace, 'desktop');
    try {
      const page = await open(journey, `/deals/${deal.id}?tab=payments`);
      const item = linkItem(page, 'Klavierkurs Frühling');
      await item.getByText('Send by email', { exact: true }).click();
      await expect(item.getByLabel('To', { exact: true }).inputValue()).resolves.toBe(contact.email);
      await item.getByLabel('Personal message (optional)').fill('Bis Dienstag <3 & danke!');
      await submit(page, item.getByRole('button', { name: 'Send email' }));
      await page
        .getByRole('status')
        .filter({ hasText: `Email to ${contact.email} queued` })
        .waitFor();

      // The server's mail job sends it within seconds, through the local capture.
      const mail = await waitForMail(inject('mailCaptureDir'), contact.email!);
      expect(mail.subject).toBe('Ada Courses: Zahlung für Klavierkurs Frühling');
      expect(mail.text).toContain('Hallo Grace Hopper,');
      expect(mail.text).toContain('Betrag: 1.249,90\u00a0€');
      expect(mail.text).toContain('Noch 7 Tage gültig');
      expect(mail.text).toContain(link.url);
      expect(mail.text).toContain('Bis Dienstag <3 & danke!');
      expect(mail.html).toContain(`<a href="${link.url}"`);
      expect(mail.html).toContain('Bis Dienstag &#60;3 &#38; danke!');

      // The tab's history says it went (the job records it just after the server took it).
      let status: string | null = null;
      for (let tries = 0; tries < 20 && status !== 'sent'; tries++) {
        await open(journey, `/deals/${deal.id}?tab=payments`);
        status = await item.locator('[data-mail-status]').first().getAttribute('data-mail-status');
        if (status !== 'sent') await page.waitForTimeout(250);
      }
      expect(status).toBe('sent');
      await expect(item.getByTestId('mail-history').textContent()).resolves.toContain(
        `Link email to ${contact.email}`,
      );
      await checkScreen(journey, 'crm-payments-tab-mail-sent-desktop');

      // The payer opens it: the payment's own page tells its story with the mail in it.
      const paymentId = await apiVisit(link);
      await open(journey, `/payments/${paymentId}`);
      await expect(page.getByTestId('mail-history').textContent()).resolves.toContain(
        `Link email to ${contact.email}`,
      );
    } finally {
      await journey.close();
    }
  });

  it('sends with JavaScript off: a plain form post, a refusal by its field, then the mail queued and received', async () => {
    const workspace = await signUpWorkspace('Ada Courses');
    const { deal } = await contactAndDeal(workspace);
    await dealLink(workspace, deal.id, 'Harp lessons', '80.00');
    const typed = `typed-${deal.id.slice(0, 8)}@example.com`;
    const journey = await signedIn(workspace, 'phone', { javaScriptEnabled: false });
    try {
      const page = await open(journey, `/deals/${deal.id}?tab=payments`, false);
      const item = linkItem(page, 'Harp lessons');
      // <details> opens without JavaScript.
      await item.getByText('Send by email', { exact: true }).click();
      const to = item.getByLabel('To', { exact: true });
      await to.fill('not an address');
      await submit(page, item.getByRole('button', { name: 'Send email' }));
      await expect(to.getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(to.inputValue()).resolves.toBe('not an address');

      await to.fill(typed);
      await item.getByLabel('Personal message (optional)').fill('See you on Monday');
      await submit(page, item.getByRole('button', { name: 'Send email' }));
      expect(new URL(page.url()).searchParams.get('tab')).toBe('payments');
      await expect(page.getByRole('status').first().textContent()).resolves.toContain(
        `Email to ${typed} queued`,
      );
      // The page the post answered lists the mail (queued, or sent if the job was quicker).
      const status = await item.locator('[data-mail-status]').first().getAttribute('data-mail-status');
      expect(['queued', 'sent']).toContain(status);
      await expect(item.getByTestId('mail-history').textContent()).resolves.toContain(
        `Link email to ${typed}`,
      );
      // axe needs JavaScript in the page; the JS journey above checks this markup.
      expect(journey.cspViolations).toEqual([]);
      await screenshot(page, 'crm-payments-tab-mail-queued-nojs-phone');

      const mail = await waitForMail(inject('mailCaptureDir'), typed);
      expect(mail.subject).toBe('Ada Courses: payment for Harp lessons');
      expect(mail.text).toContain('See you on Monday');
    } finally {
      await journey.close();
    }
  });
});
