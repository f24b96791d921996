import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, inject } from 'vitest';
import { testOutputDir } from './web-server';

export const viewports = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
  desktop: { viewport: { width: 1280, height: 800 } },
} as const;
export type ViewportName = keyof typeof viewports;

let connected: Promise<Browser> | undefined;

/** The run's one browser (started by journey-setup.ts); this file's connection closes after its tests. */
export function browser(): Promise<Browser> {
  if (!connected) {
    connected = chromium.connect(inject('browserWsEndpoint'));
    afterAll(async () => (await connected)?.close());
  }
  return connected;
}

export interface JourneyPage {
  page: Page;
  context: BrowserContext;
  /** Content-Security-Policy violations the page reported in its console. */
  cspViolations: string[];
  close(): Promise<void>;
}

/**
 * A fresh context (no cookies) at a phone or desktop size, with the server under test as its base URL.
 * `javaScriptEnabled: false` is how the no-JS journeys run.
 */
export async function openPage(
  viewport: ViewportName,
  options: { javaScriptEnabled?: boolean; locale?: string } = {},
): Promise<JourneyPage> {
  const context = await (await browser()).newContext({
    ...viewports[viewport],
    baseURL: inject('baseUrl'),
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    locale: options.locale ?? 'en-GB',
  });
  const page = await context.newPage();
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  return { page, context, cspViolations, close: () => context.close() };
}

/** Saves a full-page screenshot as test-output/screenshots/<name>.png (ignored by git). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(testOutputDir, 'screenshots');
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
