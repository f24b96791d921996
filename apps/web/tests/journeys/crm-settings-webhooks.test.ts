import { describe, expect, it } from 'vitest';
import { signUpWorkspace } from '../support/api-helpers';
import { checkScreen, openSettings, signedIn, submit } from './crm-settings-support';

// A public address literal: saving it needs no DNS. The workspace makes no events, so nothing is sent.
const endpointUrl = 'https://93.184.215.14/hooks/paylinks';

describe('Settings › Webhooks', () => {
  it('adds an endpoint without JavaScript (a private URL refused by its field), shows its secret once, then disables, rotates and deletes it', async () => {
    const workspace = await signUpWorkspace('Webhook Workspace');
    const plain = await signedIn(workspace.cookie, 'phone', { javaScriptEnabled: false });
    const enhanced = await signedIn(workspace.cookie, 'desktop');
    try {
      let page = await openSettings(plain, '/settings/webhooks', false);
      await page.getByLabel('URL').fill('http://169.254.169.254/latest/meta-data');
      await submit(page, page.getByRole('button', { name: 'Add endpoint' }));
      const url = page.getByLabel('URL');
      await expect(url.getAttribute('aria-invalid')).resolves.toBe('true');
      await page.getByText(/must point at a public address/).waitFor();

      await url.fill(endpointUrl);
      await page.getByLabel('Description (optional)').fill('CRM sync');
      await page.getByLabel('payment.status_changed').check();
      await submit(page, page.getByRole('button', { name: 'Add endpoint' }));
      const secretField = page.getByLabel('Signing secret', { exact: true });
      const secret = await secretField.inputValue();
      expect(secret).toMatch(/^whsec_/);
      await page.getByText('Copy it now: it will not be shown again.').waitFor();
      const listed = await workspace.api.GET('/api/webhook-endpoints');
      expect(listed.data?.webhookEndpoints).toMatchObject([
        { url: endpointUrl, description: 'CRM sync', eventTypes: ['payment.status_changed'], enabled: true },
      ]);

      page = await openSettings(enhanced, '/settings/webhooks');
      expect(await page.content()).not.toContain(secret);
      const row = page.locator(`[data-webhook-endpoint="${endpointUrl}"]`);
      await submit(page, row.getByRole('button', { name: 'Disable' }));
      await row.getByRole('button', { name: 'Enable' }).waitFor();
      await row.getByRole('link', { name: 'Delivery log' }).click();
      await page.getByText('Nothing sent to this endpoint yet.').waitFor();
      await row.getByText('New secret…').click();
      await submit(page, row.getByRole('button', { name: 'Make new secret' }));
      const rotated = await page.getByLabel('Signing secret', { exact: true }).inputValue();
      expect(rotated).toMatch(/^whsec_/);
      expect(rotated).not.toBe(secret);
      await row.getByText(/old secret also signs until/).waitFor();
      await checkScreen(enhanced, 'settings-webhooks');

      await row.getByText('Delete…').click();
      await submit(page, row.getByRole('button', { name: 'Delete endpoint' }));
      await page.getByText(`${endpointUrl} was deleted: nothing more is sent to it.`).waitFor();
      expect((await workspace.api.GET('/api/webhook-endpoints')).data?.webhookEndpoints).toEqual([]);
    } finally {
      await plain.close();
      await enhanced.close();
    }
  });
});
