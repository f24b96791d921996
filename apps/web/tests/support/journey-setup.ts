import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { buildProductIfStale } from './build-if-stale';
import { startMailCapture } from './mail-capture';
import { startProviderSimulators } from './provider-simulators';
import { startWebServer } from './web-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the built server under test listens, e.g. http://127.0.0.1:43567. */
    baseUrl: string;
    /** The one browser every journey file connects to (playwright's chromium.connect). */
    browserWsEndpoint: string;
    /** The Stripe and Mollie simulators the server is pointed at (provider-simulators.ts). */
    stripeSimulatorUrl: string;
    mollieSimulatorUrl: string;
    simulatorControlUrl: string;
    /** Where the mail the server under test sent is written, one JSON file each (mail-capture.ts). */
    mailCaptureDir: string;
  }
}

/** Debian's chromium; playwright's own browser downloads cannot reach their host here. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Once per run: build if needed, start one server and one browser, share both with every file. */
export default async function setup(project: TestProject) {
  if (!existsSync(chromiumPath))
    throw new Error(
      `No chromium at ${chromiumPath}: apt-get install -y --no-install-recommends chromium, or set CHROMIUM_PATH`,
    );
  buildProductIfStale();
  // First: the server is pointed at them when it starts.
  const simulators = await startProviderSimulators();
  const mail = await startMailCapture();
  const [server, browser] = await Promise.all([
    // Every journey runs from 127.0.0.1: the public page's per-address budgets (60 views and 10
    // checkouts a minute) would refuse the run itself. pay-states.test.ts still meets the limit,
    // from another loopback address.
    startWebServer({
      PAYLINKS_RATE_LIMIT_VIEW_PER_MIN: '300',
      PAYLINKS_RATE_LIMIT_CHECKOUT_PER_MIN: '300',
      ...simulators.serverEnv,
      SMTP_URL: mail.smtpUrl,
      PAYLINKS_MAIL_FROM: 'Paylinks journeys <journeys@paylinks.test>',
    }),
    chromium.launchServer({
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    }),
  ]);
  project.provide('baseUrl', server.baseUrl);
  project.provide('browserWsEndpoint', browser.wsEndpoint());
  project.provide('stripeSimulatorUrl', simulators.stripeUrl);
  project.provide('mollieSimulatorUrl', simulators.mollieUrl);
  project.provide('simulatorControlUrl', simulators.controlUrl);
  project.provide('mailCaptureDir', mail.dir);
  return async () => {
    await browser.close();
    await server.stop();
    await simulators.stop();
    await mail.stop();
  };
}
