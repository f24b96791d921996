import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createLink, signUpWorkspace, type Workspace } from '../support/api-helpers';
import { browser, screenshot, type ViewportName, viewports } from '../support/browser';
import { pathOf } from '../support/pay-page';

// Paying through Stripe's and Mollie's hosted pages: the server under test is pointed at both
// simulators (tests/support/provider-simulators.ts), whose webhooks reach it over the network.
const baseUrl = inject('baseUrl');
const stripeUrl = inject('stripeSimulatorUrl');
const mollieUrl = inject('mollieSimulatorUrl');
const controlUrl = inject('simulatorControlUrl');

// Keys the simulators take (plugins/stripe/src/simulator: SIMULATOR_SECRET_KEY and _WEBHOOK_SECRET;
// Mollie's takes any test_ key), as a team copies them from the dashboards.
const stripeKeys = {
  secretKey: 'sk_test_simulator0123456789abcdef',
  webhookSecret: 'whsec_simulator0123456789abcdef0123',
};
const mollieKey = { apiKey: 'test_journeysimulator0123456789ab' };

let workspace: Workspace;
let stripeMethodId: string;
let mollieMethodId: string;

async function connect(providerId: string, credentials: Record<string, string>) {
  const { data, error, response } = await workspace.api.POST('/api/payment-methods', {
    body: { providerId, mode: 'test', credentials },
  });
  if (!data)
    throw new Error(`connecting ${providerId} answered ${response.status}: ${JSON.stringify(error)}`);
  return data;
}

beforeAll(async () => {
  workspace = await signUpWorkspace('Provider Courses');
  const stripe = await connect('stripe', stripeKeys);
  stripeMethodId = stripe.id;
  // The method's webhook URL goes into Stripe's dashboard; Mollie gets it with every payment.
  const registered = await fetch(`${controlUrl}/stripe/webhook-endpoints`, {
    method: 'POST',
    body: JSON.stringify({ url: stripe.webhookUrl }),
  });
  expect(registered.status).toBe(204);
  mollieMethodId = (await connect('mollie', mollieKey)).id;
});

/** A fresh context; Mollie's simulator serves https with a test certificate the browser cannot know. */
async function openPage(viewport: ViewportName, javaScriptEnabled: boolean) {
  const context = await (await browser()).newContext({
    ...viewports[viewport],
    baseURL: baseUrl,
    javaScriptEnabled,
    locale: 'en-GB',
    ignoreHTTPSErrors: true,
  });
  const page = await context.newPage();
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  return { page, cspViolations, close: () => context.close() };
}

/** The payer fills in our page and presses Pay: the answer is a redirect to the provider's page. */
async function payOnOurPage(page: Page, path: string, providerUrl: string) {
  await page.goto(path);
  await page.getByLabel('Email').fill('payer@example.com');
  await page.getByLabel('Phone').fill('+31 6 12345678');
  await Promise.all([
    page.waitForURL((url) => url.href.startsWith(providerUrl)),
    page.getByRole('button', { name: /^Pay / }).click(),
  ]);
}

/** The provider's page sends the payer back to our return page. */
const backOnReturnPage = (page: Page, click: () => Promise<void>) =>
  Promise.all([page.waitForURL((url) => url.href.startsWith(`${baseUrl}/pay/`)), click()]);

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

/** What the team sees: the link's payments through the CRM API. */
async function paymentsOf(linkId: string) {
  const { data } = await workspace.api.GET('/api/payments', { params: { query: { limit: 100 } } });
  if (!data) throw new Error('listing payments failed');
  return data.items.filter((payment) => payment.linkId === linkId);
}

type Delivery = { url: string; status: number; type?: string; paymentId?: string };

/** Waits until the provider's webhook for this method was answered 2xx by the server under test. */
async function webhookDelivered(provider: 'stripe' | 'mollie', match: (d: Delivery) => boolean) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const all = (await (await fetch(`${controlUrl}/deliveries`)).json()) as Record<string, Delivery[]>;
    const found = (all[provider] ?? []).filter(match);
    if (found.some((d) => d.status >= 200 && d.status < 300)) return found;
    if (Date.now() > deadline) throw new Error(`no 2xx ${provider} webhook: ${JSON.stringify(found)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The return page waits for the provider's answer (Processing refreshes itself every 3 s). */
async function settledHeading(page: Page) {
  await page.waitForFunction(
    () => document.querySelector('[data-status]')?.getAttribute('data-status') !== 'processing',
    undefined,
    { timeout: 10_000 },
  );
  return heading(page);
}

describe('paying through a provider’s hosted page', () => {
  it('Stripe (JavaScript off, desktop): our form redirects to Stripe’s page, Pay there, back to Payment complete; the signed webhook reached us', async () => {
    const link = await createLink(workspace, { methodId: stripeMethodId, amount: '49.90' });
    const { page, cspViolations, close } = await openPage('desktop', false);
    try {
      await payOnOurPage(page, pathOf(link), `${stripeUrl}/pay/cs_`);
      await expect(page.getByTestId('description').textContent()).resolves.toBe('Course deposit');
      await expect(page.getByTestId('amount').textContent()).resolves.toMatch(/^4990 EUR/);
      await backOnReturnPage(page, () => page.getByRole('button', { name: 'Pay' }).click());
      expect(await settledHeading(page)).toBe('Payment complete');
      await expect(page.locator('main').textContent()).resolves.toContain('€49.90 for Course deposit');
      expect(cspViolations).toEqual([]);
      await webhookDelivered(
        'stripe',
        (d) => d.type === 'checkout.session.completed' && d.url.endsWith(`/api/webhooks/${stripeMethodId}`),
      );
      const [payment] = await paymentsOf(link.id);
      expect(payment?.status).toBe('complete');
    } finally {
      await close();
    }
  });

  it('Mollie (phone): our form redirects to Mollie’s page, Paid there, back to Payment complete; the webhook reached us', async () => {
    const link = await createLink(workspace, { methodId: mollieMethodId, amount: '12.50' });
    const { page, cspViolations, close } = await openPage('phone', true);
    try {
      await payOnOurPage(page, pathOf(link), `${mollieUrl}/checkout/tr_`);
      await expect(page.locator('main').textContent()).resolves.toContain('EUR 12.50');
      await backOnReturnPage(page, () => page.getByRole('button', { name: 'Paid' }).click());
      expect(await settledHeading(page)).toBe('Payment complete');
      expect(cspViolations).toEqual([]);
      await screenshot(page, 'pay-mollie-complete-phone');
      const [payment] = await paymentsOf(link.id);
      await webhookDelivered('mollie', (d) => d.url.endsWith(`/api/webhooks/${mollieMethodId}`));
      expect(payment?.status).toBe('complete');
    } finally {
      await close();
    }
  });
});

describe('leaving the provider’s page without paying', () => {
  it('Mollie: Canceled there, back to Payment not completed; Try again starts a new payment that pays', async () => {
    const link = await createLink(workspace, { methodId: mollieMethodId, amount: '8.00' });
    const { page, cspViolations, close } = await openPage('phone', true);
    try {
      await payOnOurPage(page, pathOf(link), `${mollieUrl}/checkout/tr_`);
      await backOnReturnPage(page, () => page.getByRole('button', { name: 'Canceled' }).click());
      expect(await settledHeading(page)).toBe('Payment not completed');
      await page.getByRole('link', { name: 'Try again' }).click();
      await page.waitForURL(`${baseUrl}${pathOf(link)}`);
      await expect(page.getByRole('button', { name: /^Pay / }).isVisible()).resolves.toBe(true);
      // The cancelled attempt stays in the history; the retry is a payment of its own that pays.
      await payOnOurPage(page, pathOf(link), `${mollieUrl}/checkout/tr_`);
      await backOnReturnPage(page, () => page.getByRole('button', { name: 'Paid' }).click());
      expect(await settledHeading(page)).toBe('Payment complete');
      expect((await paymentsOf(link.id)).map((p) => p.status).sort()).toEqual(['cancelled', 'complete']);
      expect(cspViolations).toEqual([]);
    } finally {
      await close();
    }
  });

  it('Stripe: a declined card, then Cancel there, back to Payment not completed with Try again, which leads to the payment page', async () => {
    const link = await createLink(workspace, { methodId: stripeMethodId, amount: '30.00' });
    const { page, cspViolations, close } = await openPage('desktop', false);
    try {
      await payOnOurPage(page, pathOf(link), `${stripeUrl}/pay/cs_`);
      await page.getByRole('button', { name: 'Decline' }).click();
      await expect(page.getByRole('alert').textContent()).resolves.toMatch(/declined/);
      await webhookDelivered('stripe', (d) => d.type === 'payment_intent.payment_failed');
      await backOnReturnPage(page, () => page.getByRole('button', { name: 'Cancel' }).click());
      expect(await settledHeading(page)).toBe('Payment not completed');
      await page.getByRole('link', { name: 'Try again' }).click();
      await page.waitForURL(`${baseUrl}${pathOf(link)}`);
      await expect(page.getByRole('button', { name: /^Pay / }).isVisible()).resolves.toBe(true);
      expect(cspViolations).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('the payment page’s form-action', () => {
  it('allows the installed providers’ checkout origins on the payment pages only', async () => {
    const link = await createLink(workspace, { methodId: stripeMethodId });
    const formAction = (policy: string | null) =>
      (policy ?? '')
        .split(';')
        .map((directive) => directive.trim())
        .find((directive) => directive.startsWith('form-action'));
    const pay = await fetch(`${baseUrl}${pathOf(link)}`, { headers: { 'user-agent': 'Mozilla/5.0' } });
    expect(formAction(pay.headers.get('content-security-policy'))).toBe(
      `form-action 'self' ${stripeUrl} ${new URL(mollieUrl).origin}`,
    );
    const crm = await fetch(`${baseUrl}/sign-in`);
    expect(crm.status).toBe(200);
    expect(formAction(crm.headers.get('content-security-policy'))).toBe("form-action 'self'");
  });
});
