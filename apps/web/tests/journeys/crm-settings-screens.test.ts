import { describe, expect, it } from 'vitest';
import { signUpWorkspace } from '../support/api-helpers';
import type { ViewportName } from '../support/browser';
import { checkScreen, openSettings, signedIn, submit } from './crm-settings-support';

const screens = [
  '/settings',
  '/settings/payment-methods',
  '/settings/pipelines',
  '/settings/team',
  '/settings/api-keys',
  '/settings/branding',
  '/settings/email',
  '/settings/webhooks',
];

describe('Settings screens', () => {
  it('work with JavaScript off: rename a method, reorder a stage, set an automation, invite, create and revoke a key', async () => {
    const workspace = await signUpWorkspace();
    const journey = await signedIn(workspace.cookie, 'desktop', { javaScriptEnabled: false });
    try {
      let page = await openSettings(journey, '/settings/payment-methods', false);
      await page.getByLabel('Name of Sandbox').fill('Sandbox cards');
      await submit(page, page.getByRole('button', { name: 'Save' }));
      await page.getByRole('article', { name: 'Sandbox cards' }).waitFor();

      page = await openSettings(journey, '/settings/pipelines', false);
      const sales = page.getByRole('article', { name: 'Sales' });
      await submit(page, sales.getByRole('button', { name: 'Move Won up' }));
      await expect(
        page.getByRole('article', { name: 'Sales' }).getByLabel('Name of stage 2').inputValue(),
      ).resolves.toBe('Won');
      await page.getByLabel('When a payment is Cancelled').selectOption({ label: 'Move to Lost' });
      await submit(page, page.getByRole('button', { name: 'Save automation' }));
      await page.getByText('Saved', { exact: true }).waitFor();
      await expect(
        page.getByLabel('When a payment is Cancelled').locator('option:checked').textContent(),
      ).resolves.toBe('Move to Lost');

      page = await openSettings(journey, '/settings/team', false);
      await page.getByLabel('Email').fill('nojs@example.com');
      await submit(page, page.getByRole('button', { name: 'Invite', exact: true }));
      await expect(page.getByLabel('Invitation link').inputValue()).resolves.toMatch(/\/invite\//);
      // Without JavaScript there is no Copy button: the link is in a field to select.
      await expect(page.getByRole('button', { name: /^Copy/ }).count()).resolves.toBe(0);

      page = await openSettings(journey, '/settings/api-keys', false);
      await page.getByLabel('Name').fill('No-JS key');
      await submit(page, page.getByRole('button', { name: 'Create key' }));
      await expect(page.getByLabel('API key', { exact: true }).inputValue()).resolves.toMatch(/\S{20,}/);
      const row = page.locator('[data-api-key="No-JS key"]');
      await row.getByText('Revoke…').click();
      await submit(page, row.getByRole('button', { name: 'Revoke key' }));
      await page.getByText('No-JS key was revoked: it no longer works.').waitFor();
      expect((await workspace.api.GET('/api/api-keys')).data?.apiKeys).toEqual([]);
      expect(journey.cspViolations).toEqual([]);
    } finally {
      await journey.close();
    }
  });

  for (const viewport of ['phone', 'desktop'] satisfies ViewportName[]) {
    it(`passes axe on every settings screen on a ${viewport}, with a screenshot of each`, async () => {
      const workspace = await signUpWorkspace();
      await workspace.api.POST('/api/invitations', {
        body: { email: 'pending@example.com', role: 'member' },
      });
      await workspace.api.POST('/api/api-keys', { body: { name: 'Website sync' } });
      const journey = await signedIn(workspace.cookie, viewport);
      try {
        for (const path of screens) {
          await openSettings(journey, path);
          await checkScreen(
            journey,
            `settings${path.replace('/settings', '').replaceAll('/', '-') || '-index'}-${viewport}`,
          );
        }
        // The connect form, generated from the sandbox's schema.
        await openSettings(journey, '/settings/payment-methods?provider=sandbox');
        await checkScreen(journey, `settings-connect-sandbox-${viewport}`);
      } finally {
        await journey.close();
      }
    });
  }
});
