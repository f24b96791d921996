import type { Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import type { Workspace } from '../support/api-helpers';
import { type JourneyPage, openPage, screenshot, type ViewportName } from '../support/browser';
import { seriousAxeViolations } from '../support/pay-page';

export const baseUrl = () => inject('baseUrl');

/** A browser context signed in with the given session cookie (the owner's, from signUpWorkspace). */
export async function signedIn(
  cookie: string,
  viewport: ViewportName,
  options: { javaScriptEnabled?: boolean } = {},
): Promise<JourneyPage> {
  const journey = await openPage(viewport, options);
  // A missing element fails in seconds with its locator, not at the test's 30 s timeout.
  journey.context.setDefaultTimeout(5_000);
  await journey.context.addCookies(
    cookie.split('; ').map((pair) => {
      const at = pair.indexOf('=');
      return { name: pair.slice(0, at), value: pair.slice(at + 1), url: baseUrl() };
    }),
  );
  return journey;
}

/** Opens a settings screen; with JavaScript on, waits until clicks reach the enhanced forms. */
export async function openSettings(journey: JourneyPage, path: string, javaScript = true): Promise<Page> {
  const response = await journey.page.goto(path);
  expect(response?.status(), path).toBe(200);
  if (!javaScript) return journey.page;
  const scriptErrors: string[] = [];
  journey.page.on('pageerror', (error) => scriptErrors.push(error.message));
  try {
    await journey.page.waitForSelector('[data-settings-hydrated="true"]', {
      state: 'attached',
      timeout: 10_000,
    });
  } catch (error) {
    throw new Error(`${path} did not start: ${scriptErrors.join('; ') || String(error)}`);
  }
  return journey.page;
}

/** Clicks a button that posts a form and waits for the page to show the answer. */
export async function submit(page: Page, button: ReturnType<Page['getByRole']>): Promise<string> {
  const [response] = await Promise.all([
    page.waitForResponse((response) => response.request().method() === 'POST'),
    button.click(),
  ]);
  await page.waitForLoadState();
  return response.text();
}

/** No serious axe finding and no CSP violation, then the screenshot to look at. */
export async function checkScreen(journey: JourneyPage, name: string): Promise<void> {
  expect(await seriousAxeViolations(journey.page), name).toEqual([]);
  expect(journey.cspViolations, name).toEqual([]);
  await screenshot(journey.page, name);
}

export async function clipboardText(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText());
}

export type { Workspace };
