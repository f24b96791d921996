import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openPage, screenshot } from '../support/browser';
import { checkScreen, hydrated } from './crm-core-support';

describe('first run, sign in and sign out', () => {
  it('a newcomer creates the workspace from the sign-in screen, signs out, and signs back in', async () => {
    const journey = await openPage('desktop');
    const { page } = journey;
    try {
      await page.goto('/contacts');
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      await hydrated(page);
      await checkScreen(journey, 'crm-sign-in-desktop');
      await page.getByRole('link', { name: 'Create a workspace' }).click();
      await page.waitForURL('**/sign-up');
      await hydrated(page);
      const email = `ada-${randomUUID()}@example.com`;
      await page.getByLabel('Workspace name').fill('Ada Courses');
      await page.getByLabel('Your name').fill('Ada Lovelace');
      await page.getByLabel('Email').fill(email);
      // Too short: the API's refusal sits by the password.
      await page.getByLabel('Password').fill('short');
      await page.getByRole('button', { name: 'Create workspace' }).click();
      await expect(page.locator('#password-error').textContent()).resolves.toBeTruthy();
      expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByLabel('Workspace name').inputValue()).toBe('Ada Courses');
      await checkScreen(journey, 'crm-sign-up-desktop');
      await page.getByLabel('Password').fill('a long password for Ada');
      await page.getByRole('button', { name: 'Create workspace' }).click();
      await page.waitForURL('**/contacts', { timeout: 5000 });
      await expect(page.getByTestId('member-name').textContent()).resolves.toContain('Ada Lovelace');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL('**/sign-in', { timeout: 5000 });
      await page.goto('/contacts');
      expect(new URL(page.url()).pathname).toBe('/sign-in');

      await hydrated(page);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('alert').textContent()).resolves.toMatch(/do not match/);
      await page.getByLabel('Password').fill('a long password for Ada');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/contacts', { timeout: 5000 });
      await expect(page.getByTestId('member-name').textContent()).resolves.toContain('Ada Lovelace');
    } finally {
      await journey.close();
    }
  });

  it('signs in with JavaScript off, back to the page asked for', async () => {
    const email = `js-off-${randomUUID()}@example.com`;
    const setup = await openPage('phone', { javaScriptEnabled: false });
    try {
      const { page } = setup;
      await page.goto('/sign-up');
      await page.getByLabel('Workspace name').fill('No Script Ltd');
      await page.getByLabel('Your name').fill('Noor Script');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('a long password for Noor');
      await page.getByRole('button', { name: 'Create workspace' }).click();
      await page.waitForURL('**/contacts', { timeout: 5000 });
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL('**/sign-in', { timeout: 5000 });
      await page.goto('/pipelines');
      expect(page.url()).toContain('/sign-in?next=%2Fpipelines');
      await screenshot(page, 'crm-sign-in-phone');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('a long password for Noor');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/pipelines/**', { timeout: 5000 });
    } finally {
      await setup.close();
    }
  });
});
