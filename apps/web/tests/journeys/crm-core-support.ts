import type { Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import type { Workspace } from '../support/api-helpers';
import { type JourneyPage, openPage, screenshot, type ViewportName } from '../support/browser';
import { seriousAxeViolations } from '../support/pay-page';

/** A browser context signed in as the workspace's owner (its session cookie set up front). */
export async function signedInPage(
  workspace: Workspace,
  viewport: ViewportName,
  options: { javaScriptEnabled?: boolean } = {},
): Promise<JourneyPage> {
  const journey = await openPage(viewport, options);
  journey.page.on('pageerror', (error) => console.error('page error:', error.message));
  const url = inject('baseUrl');
  await journey.context.addCookies(
    workspace.cookie.split('; ').map((pair) => {
      const at = pair.indexOf('=');
      return { name: pair.slice(0, at), value: pair.slice(at + 1), url };
    }),
  );
  return journey;
}

/** Hydrated pages: our layouts mark <html> once the app has started, so clicks reach handlers. */
export async function hydrated(page: Page): Promise<void> {
  await page.waitForSelector('html[data-hydrated="true"]', { state: 'attached', timeout: 10_000 });
}

/** What every main screen must pass: no serious axe finding, no CSP violation, and its screenshot. */
export async function checkScreen(journey: JourneyPage, name: string): Promise<void> {
  expect(await seriousAxeViolations(journey.page), name).toEqual([]);
  expect(journey.cspViolations, name).toEqual([]);
  await screenshot(journey.page, name);
}
