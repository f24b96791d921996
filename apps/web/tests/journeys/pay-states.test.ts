import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLink, signUpWorkspace } from '../support/api-helpers';
import { type JourneyPage, openPage, screenshot, type ViewportName } from '../support/browser';
import {
  allowedScripts,
  apiCheckout,
  apiVisit,
  createDealLink,
  pathOf,
  requestFrom,
  sandboxCard,
  seriousAxeViolations,
  watchScripts,
} from '../support/pay-page';

/** The path of each state's page, and what the payer must read there. */
interface StateCase {
  name: string;
  path: string;
  status: number;
  heading: RegExp;
  says?: RegExp;
  /** Served as fetched from another client address (the rate-limited page). */
  html?: string;
}

const cases: StateCase[] = [];
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  const workspace = await signUpWorkspace('States');
  const [active, deleted, paid, paused, declinedOut, processing, cancelled, complete] = await Promise.all([
    createLink(workspace, { description: 'Spring course deposit', amount: '1234.56', validityDays: 3 }),
    createLink(workspace),
    createDealLink(workspace),
    createLink(workspace),
    createLink(workspace),
    createLink(workspace),
    createLink(workspace),
    createLink(workspace),
  ]);
  await workspace.api.DELETE('/api/payment-links/{id}', { params: { path: { id: deleted.id } } });
  expect((await apiCheckout(paid, await apiVisit(paid), sandboxCard.pays)).data?.kind).toBe('result');
  // 20 failed attempts in an hour pause a link's checkout (card testing).
  for (let attempt = 0; attempt < 20; attempt++) await apiCheckout(paused, null, sandboxCard.notATestCard);
  // A payment takes three declined cards; the next try is refused.
  const declinedOutPayment = await apiVisit(declinedOut);
  for (let attempt = 0; attempt < 3; attempt++)
    await apiCheckout(declinedOut, declinedOutPayment, sandboxCard.declined);
  const cancelledPayment = await apiVisit(cancelled);
  await apiCheckout(cancelled, cancelledPayment, sandboxCard.declined);
  const completePayment = await apiVisit(complete);
  await apiCheckout(complete, completePayment, sandboxCard.pays);

  // A method the team switched off: its own workspace, so the other links stay payable.
  const offWorkspace = await signUpWorkspace('Method off');
  const offLink = await createLink(offWorkspace);
  await offWorkspace.api.PATCH('/api/payment-methods/{id}', {
    params: { path: { id: offLink.method.id } },
    body: { enabled: false },
  });

  // The view budget is per client address: use it up from 127.0.0.2, leaving this run's 127.0.0.1 alone.
  const other = requestFrom('127.0.0.2');
  let limited = await other.get('/api/pay/not-a-token');
  while (limited.status !== 429) limited = await other.get('/api/pay/not-a-token');
  const rateLimitedPage = await other.get(pathOf(active), { accept: 'text/html' });
  other.close();
  expect(rateLimitedPage.status).toBe(429);

  const returnPath = (link: typeof active, payment: string) => `${pathOf(link)}/return?payment=${payment}`;
  cases.push(
    {
      name: 'active',
      path: pathOf(active),
      status: 200,
      heading: /Spring course deposit/,
      says: /€1,234\.56/,
    },
    { name: 'deleted', path: pathOf(deleted), status: 410, heading: /no longer available/, says: /new link/ },
    { name: 'paid', path: pathOf(paid), status: 410, heading: /This has been paid/ },
    { name: 'paused', path: pathOf(paused), status: 423, heading: /paused/, says: /Contact the sender/ },
    { name: 'method-unavailable', path: pathOf(offLink), status: 503, heading: /not possible right now/ },
    {
      name: 'not-found',
      path: '/pay/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      status: 404,
      heading: /cannot find/,
    },
    {
      name: 'rate-limited',
      path: pathOf(active),
      status: 429,
      heading: /Too many requests/,
      says: /try again in \d+ seconds?/,
      html: rateLimitedPage.body,
    },
    {
      name: 'processing',
      path: returnPath(processing, await apiVisit(processing)),
      status: 200,
      heading: /being processed/,
      says: /updates itself/,
    },
    {
      name: 'cancelled',
      path: returnPath(cancelled, cancelledPayment),
      status: 200,
      heading: /not completed/,
      says: /no money was taken/,
    },
    {
      name: 'complete',
      path: returnPath(complete, completePayment),
      status: 200,
      heading: /Payment complete/,
    },
  );
  // Declined three times from the form: the fourth card meets the too-many-attempts page.
  cases.push({
    name: 'too-many-attempts',
    path: pathOf(declinedOut),
    status: 409,
    heading: /declined too often/,
  });
});

async function open(journey: JourneyPage, state: StateCase) {
  const { page } = journey;
  if (state.html) {
    // This run's own address is not limited: the page as the limited client got it.
    await page.route(`${baseUrl}${state.path}`, (route) =>
      route.fulfill({ status: state.status, contentType: 'text/html', body: state.html }),
    );
  }
  const response = await page.goto(state.path);
  if (state.html) await page.unroute(`${baseUrl}${state.path}`);
  if (state.name !== 'too-many-attempts') return response?.status();
  // A payment takes three declined cards; the fourth is refused with its own page.
  for (let attempt = 0; attempt < 3; attempt++) {
    await fillAndPay(page, sandboxCard.declined);
    await page.getByText('Your card was declined').first().waitFor();
  }
  const [posted] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    fillAndPay(page, sandboxCard.declined),
  ]);
  await page.waitForLoadState();
  return posted.status();
}

async function fillAndPay(page: Page, cardNumber: string) {
  await page.getByLabel('Email').fill('payer@example.com');
  await page.getByLabel('Phone').fill('+31 6 12345678');
  await page.getByLabel('Card number').fill(cardNumber);
  await page.getByLabel('Expiry date').fill('12/39');
  await page.getByLabel('Security code').fill('123');
  await page.getByRole('button', { name: /^Pay / }).click();
}

describe.each(['phone', 'desktop'] satisfies ViewportName[])(
  'every state of the payment page on a %s',
  (viewport) => {
    let journey: JourneyPage;
    let scripts: string[];
    beforeAll(async () => {
      // No page here runs a script of its own; axe, injected by the test, needs JavaScript on.
      journey = await openPage(viewport);
      scripts = watchScripts(journey.page);
    });
    afterAll(() => journey.close());

    it('answers each state with its own status, says it plainly, passes axe, loads no script and breaks no CSP', async () => {
      expect(cases.length).toBeGreaterThan(10);
      for (const state of cases) {
        const status = await open(journey, state);
        const { page } = journey;
        expect(status, state.name).toBe(state.status);
        await expect(page.getByRole('heading', { level: 1 }).textContent(), state.name).resolves.toMatch(
          state.heading,
        );
        if (state.says)
          await expect(page.locator('main').textContent(), state.name).resolves.toMatch(state.says);
        await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
        // The Processing page refreshes itself (the issue asks for it, also without JavaScript): axe's
        // meta-refresh rule (WCAG 2.2.1) is waived there alone; the refresh stops after two minutes and
        // a "Check again" link remains.
        const waived = state.name === 'processing' ? ['meta-refresh'] : [];
        expect(await seriousAxeViolations(page, waived), state.name).toEqual([]);
        await screenshot(page, `pay-${state.name}-${viewport}`);
      }
      expect(scripts.filter((url) => !allowedScripts.includes(url))).toEqual([]);
      expect(journey.cspViolations).toEqual([]);
    }, 60_000);

    it('keeps refreshing a processing payment by itself and offers a cancelled one again', async () => {
      const { page } = journey;
      const processing = cases.find((state) => state.name === 'processing')!;
      await page.goto(processing.path);
      await expect(page.locator('meta[http-equiv="refresh"]').getAttribute('content')).resolves.toMatch(
        /^3; url=\/pay\/.+\/return\?payment=.+&check=1$/,
      );
      await page.goto(`${processing.path}&check=40`);
      await expect(page.locator('meta[http-equiv="refresh"]').count()).resolves.toBe(0);
      await expect(page.getByRole('link', { name: 'Check again' }).isVisible()).resolves.toBe(true);
      const cancelled = cases.find((state) => state.name === 'cancelled')!;
      await page.goto(cancelled.path);
      await page.getByRole('link', { name: 'Try again' }).click();
      await expect(page.getByRole('button', { name: /^Pay / }).isVisible()).resolves.toBe(true);
    });
  },
);
