import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUpWorkspace, type Workspace } from '../support/api-helpers';
import { screenshot, type ViewportName } from '../support/browser';
import { checkScreen, hydrated, signedInPage } from './crm-core-support';

let workspace: Workspace;
beforeAll(async () => {
  workspace = await signUpWorkspace('Board Ltd');
});

const cardOf = (page: Page, title: string) =>
  page.locator('article', { has: page.getByRole('link', { name: title }) });
const stageOf = (page: Page, name: string) =>
  page.locator('section', { has: page.getByRole('heading', { name }) });

describe('contacts and the board', () => {
  it('creates a contact, finds it by search, and makes a deal for it on the board, moved by form and by keys', async () => {
    const journey = await signedInPage(workspace, 'desktop');
    const { page } = journey;
    try {
      const name = `Grace ${randomUUID().slice(0, 8)}`;
      await page.goto('/contacts/new');
      await hydrated(page);
      await page.getByLabel('Name').fill(name);
      await page.getByLabel('Email').fill('not an email');
      await page.getByRole('button', { name: 'Create contact' }).click();
      await expect(page.locator('#email-error').textContent()).resolves.toBeTruthy();
      await page.getByLabel('Email').fill(`${name.replace(' ', '.').toLowerCase()}@example.com`);
      await page.getByRole('button', { name: 'Create contact' }).click();
      await page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(name);
      await checkScreen(journey, 'crm-contact-desktop');

      await page.goto('/contacts');
      await page.getByLabel('Search contacts').fill(name.split(' ')[1]!);
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/q=/);
      expect(await page.getByRole('link', { name: new RegExp(name) }).count()).toBe(1);
      await checkScreen(journey, 'crm-contacts-desktop');

      await page.goto('/pipelines');
      await hydrated(page);
      await page.getByRole('link', { name: 'New deal' }).click();
      await page.waitForURL('**/deals/new**');
      await page.getByLabel('Find the contact').fill(name);
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/contactQ=/);
      await page.getByLabel('Title').fill('Spring course');
      await page.getByLabel('Amount').fill('1250.50');
      await page.getByRole('button', { name: 'Create deal' }).click();
      await page.waitForURL(/\/pipelines\/[0-9a-f-]{36}$/);
      await hydrated(page);
      const card = cardOf(page, 'Spring course');
      await expect(card.textContent()).resolves.toContain('€1,250.50');
      await expect(stageOf(page, 'New').textContent()).resolves.toContain('Spring course');
      await checkScreen(journey, 'crm-board-desktop');

      await card.getByLabel('Move Spring course to stage').selectOption({ label: 'Invoice sent' });
      await card.getByRole('button', { name: 'Move' }).click();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="board-announcer"]')?.textContent,
      );
      await expect(page.getByTestId('board-announcer').textContent()).resolves.toBe(
        'Moved Spring course to Invoice sent',
      );
      await expect(stageOf(page, 'Invoice sent').textContent()).resolves.toContain('Spring course');

      await cardOf(page, 'Spring course').focus();
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(() =>
        document.querySelector('[data-testid="board-announcer"]')?.textContent?.includes('Won'),
      );
      await expect(stageOf(page, 'Won').textContent()).resolves.toContain('Spring course');

      await cardOf(page, 'Spring course').getByRole('link', { name: 'Spring course' }).click();
      await page.waitForURL(/\/deals\//);
      await expect(page.locator('dl').textContent()).resolves.toContain('Won');
      await checkScreen(journey, 'crm-deal-desktop');
    } finally {
      await journey.close();
    }
  });

  it('moves a deal with the Move form with JavaScript off, and every main screen renders without it', async () => {
    const contact = await workspace.api.POST('/api/contacts', { body: { name: 'Noor Script' } });
    const deal = await workspace.api.POST('/api/deals', {
      body: { title: 'No-JS deal', contactId: contact.data!.id },
    });
    const journey = await signedInPage(workspace, 'phone', { javaScriptEnabled: false });
    const { page } = journey;
    try {
      await page.goto('/pipelines');
      const card = cardOf(page, 'No-JS deal');
      await card.getByLabel('Move No-JS deal to stage').selectOption({ label: 'Lost' });
      await card.getByRole('button', { name: 'Move' }).click();
      await page.waitForLoadState();
      await expect(page.getByTestId('board-announcer').textContent()).resolves.toBe(
        'Moved No-JS deal to Lost',
      );
      await expect(stageOf(page, 'Lost').textContent()).resolves.toContain('No-JS deal');
      const screens: [string, string][] = [
        ['/contacts', 'Contacts'],
        [`/contacts/${contact.data!.id}`, 'Noor Script'],
        [`/deals/${deal.data!.id}`, 'No-JS deal'],
        ['/deals/new', 'New deal'],
      ];
      for (const [path, heading] of screens) {
        await page.goto(path);
        await expect(page.getByRole('heading', { level: 1 }).textContent(), path).resolves.toBe(heading);
      }
    } finally {
      await journey.close();
    }
  });

  for (const viewport of ['phone'] satisfies ViewportName[]) {
    it(`shows the main screens on a ${viewport} with no serious axe finding`, async () => {
      const journey = await signedInPage(workspace, viewport);
      const { page } = journey;
      try {
        for (const [path, name] of [
          ['/contacts', 'contacts'],
          ['/pipelines', 'board'],
          ['/deals/new', 'deal-new'],
        ] as const) {
          await page.goto(path);
          await hydrated(page);
          await checkScreen(journey, `crm-${name}-${viewport}`);
        }
        await page.goto('/contacts');
        await page
          .getByRole('link', { name: /Noor Script/ })
          .first()
          .click();
        await page.waitForURL(/\/contacts\//);
        await screenshot(page, `crm-contact-${viewport}`);
      } finally {
        await journey.close();
      }
    });
  }
});
