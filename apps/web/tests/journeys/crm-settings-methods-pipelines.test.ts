import { describe, expect, it } from 'vitest';
import { createLink, signUpWorkspace } from '../support/api-helpers';
import { clipboardText, openSettings, signedIn, submit } from './crm-settings-support';

describe('Settings › Accept payments', () => {
  it('connects a second sandbox method, shows its webhook URL to copy, refuses a bad secret by its field, disables and deletes it, and says why a method in use stays', async () => {
    const workspace = await signUpWorkspace();
    const journey = await signedIn(workspace.cookie, 'desktop');
    await journey.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    try {
      const page = await openSettings(journey, '/settings/payment-methods');
      await page.getByLabel('Provider').selectOption('sandbox');
      await Promise.all([
        page.waitForURL(/provider=sandbox/),
        page.getByRole('button', { name: 'Choose' }).click(),
      ]);
      await page.waitForSelector('[data-settings-hydrated="true"]', { state: 'attached' });

      // A secret the sandbox refuses: the API's message sits by that field, and the secret is not echoed.
      await page.getByLabel('Name', { exact: true }).fill('Second sandbox');
      const secret = page.getByLabel('Webhook secret');
      await expect(secret.getAttribute('type')).resolves.toBe('password');
      await secret.fill('not-a-secret');
      const answer = await submit(page, page.getByRole('button', { name: 'Connect Sandbox' }));
      expect(answer).not.toContain('not-a-secret');
      await page.locator('#credentials\\.webhookSecret-error').waitFor();
      await expect(secret.getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(page.locator('#credentials\\.webhookSecret-error').textContent()).resolves.toMatch(
        /Not a sandbox webhook secret/,
      );
      await secret.fill('');
      await expect(page.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('Second sandbox');

      // Left empty, the sandbox makes its own secret.
      await Promise.all([
        page.waitForURL(/connected=/),
        page.getByRole('button', { name: 'Connect Sandbox' }).click(),
      ]);
      const card = page.getByRole('article', { name: 'Second sandbox' });
      await card.getByText('Connected.').waitFor();
      await expect(card.textContent()).resolves.toMatch(/Test/);
      const webhook = card.getByLabel('Webhook URL of Second sandbox');
      const url = await webhook.inputValue();
      const { data } = await workspace.api.GET('/api/payment-methods');
      const second = data!.paymentMethods.find((method) => method.displayName === 'Second sandbox')!;
      expect(second).toMatchObject({ mode: 'test', enabled: true, webhookUrl: url });
      expect(url).toMatch(/\/api\/webhooks\/[0-9a-f-]{36}$/);
      await card.getByRole('button', { name: 'Copy Webhook URL of Second sandbox' }).click();
      await card.getByRole('button', { name: /^Copied/ }).waitFor();
      expect(await clipboardText(page)).toBe(url);

      await submit(page, card.getByRole('button', { name: 'Disable Second sandbox' }));
      await card.getByText('Disabled', { exact: true }).waitFor();
      const disabled = await workspace.api.GET('/api/payment-methods/{id}', {
        params: { path: { id: second.id } },
      });
      expect(disabled.data?.enabled).toBe(false);

      await card.getByText('Delete…').click();
      await submit(page, card.getByRole('button', { name: 'Delete Second sandbox' }));
      await page.getByText('Second sandbox was deleted.').waitFor();
      await expect(page.getByRole('article', { name: 'Second sandbox' }).count()).resolves.toBe(0);

      // The first sandbox has a link now: the API keeps it, and the page says so by it.
      await createLink(workspace);
      const first = page.getByRole('article', { name: 'Sandbox' });
      await first.getByText('Delete…').click();
      await submit(page, first.getByRole('button', { name: 'Delete Sandbox' }));
      await first.getByRole('alert').waitFor();
      await expect(first.getByRole('alert').textContent()).resolves.toMatch(
        /use this method.*Disable it instead/,
      );
      expect(journey.cspViolations).toEqual([]);
    } finally {
      await journey.close();
    }
  });
});

describe('Settings › Pipelines', () => {
  it('adds, renames, reorders and deletes stages, sets a stage automation, and creates a new default pipeline', async () => {
    const workspace = await signUpWorkspace();
    const journey = await signedIn(workspace.cookie, 'phone');
    try {
      const page = await openSettings(journey, '/settings/pipelines');
      const sales = page.getByRole('article', { name: 'Sales' });
      const stageNames = async () => {
        const { data } = await workspace.api.GET('/api/pipelines');
        return data!.pipelines
          .find((pipeline) => pipeline.name === 'Sales')!
          .stages.map((stage) => stage.name);
      };
      expect(await stageNames()).toEqual(['New', 'Invoice sent', 'Won', 'Lost']);

      await sales.getByLabel('New stage in Sales').fill('Deposit paid');
      await submit(page, sales.getByRole('button', { name: 'Add stage' }));
      await sales.getByRole('button', { name: 'Move Deposit paid up' }).waitFor();
      await submit(page, sales.getByRole('button', { name: 'Move Deposit paid up' }));
      await expect.poll(stageNames).toEqual(['New', 'Invoice sent', 'Won', 'Deposit paid', 'Lost']);
      await expect.poll(() => sales.getByLabel('Name of stage 4').inputValue()).toBe('Deposit paid');

      await sales.getByLabel('Name of stage 2').fill('Invoice out');
      await submit(page, sales.getByRole('button', { name: 'Save', exact: true }).nth(1));
      await expect.poll(stageNames).toEqual(['New', 'Invoice out', 'Won', 'Deposit paid', 'Lost']);

      await sales.getByLabel('When a payment is Complete').selectOption({ label: 'Move to Won' });
      await submit(page, sales.getByRole('button', { name: 'Save automation' }));
      await sales.getByText('Saved', { exact: true }).waitFor();
      const pipelines = (await workspace.api.GET('/api/pipelines')).data!.pipelines;
      const salesPipeline = pipelines.find((pipeline) => pipeline.name === 'Sales')!;
      const automations = await workspace.api.GET('/api/pipelines/{id}/automations', {
        params: { path: { id: salesPipeline.id } },
      });
      expect(automations.data?.complete).toBe(salesPipeline.stages.find((stage) => stage.name === 'Won')!.id);
      expect(automations.data?.cancelled).toBeNull();

      await sales
        .locator('li', { hasText: 'Delete…' })
        .filter({ has: page.locator('input[value="Deposit paid"]') })
        .getByText('Delete…')
        .click();
      await submit(page, sales.getByRole('button', { name: 'Delete Deposit paid' }));
      await page.getByText('Stage Deposit paid was deleted.').waitFor();
      expect(await stageNames()).toEqual(['New', 'Invoice out', 'Won', 'Lost']);

      await page.getByLabel('Pipeline name').fill('Courses');
      await page.getByLabel('Stages', { exact: true }).fill('Lead\nEnrolled\n');
      await submit(page, page.getByRole('button', { name: 'Create pipeline' }));
      const courses = page.getByRole('article', { name: 'Courses' });
      await courses.waitFor();
      await submit(page, courses.getByRole('button', { name: 'Make default Courses' }));
      await courses.getByText('Default', { exact: true }).waitFor();
      const after = (await workspace.api.GET('/api/pipelines')).data!.pipelines;
      expect(after.find((pipeline) => pipeline.isDefault)?.name).toBe('Courses');
      expect(
        after.find((pipeline) => pipeline.name === 'Courses')?.stages.map((stage) => stage.name),
      ).toEqual(['Lead', 'Enrolled']);
      expect(journey.cspViolations).toEqual([]);
    } finally {
      await journey.close();
    }
  });
});
