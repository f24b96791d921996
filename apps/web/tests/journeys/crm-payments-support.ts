import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import type { components } from '../../src/lib/api/schema';
import type { Workspace } from '../support/api-helpers';
import { type JourneyPage, openPage, screenshot, type ViewportName } from '../support/browser';
import { seriousAxeViolations } from '../support/pay-page';

type PaymentLink = components['schemas']['PaymentLink'];

/** A browser context signed in as the workspace's owner, optionally allowed to use the clipboard. */
export async function signedIn(
  workspace: Workspace,
  viewport: ViewportName,
  options: { javaScriptEnabled?: boolean; clipboard?: boolean } = {},
): Promise<JourneyPage> {
  const journey = await openPage(viewport, { javaScriptEnabled: options.javaScriptEnabled ?? true });
  const url = inject('baseUrl');
  await journey.context.addCookies(
    workspace.cookie.split('; ').map((pair) => {
      const at = pair.indexOf('=');
      return { name: pair.slice(0, at), value: pair.slice(at + 1), url };
    }),
  );
  if (options.clipboard)
    await journey.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
  return journey;
}

/** Opens a CRM screen; with JavaScript, waits until the app has started so clicks reach enhanced forms. */
export async function open(journey: JourneyPage, path: string, javaScript = true): Promise<Page> {
  const response = await journey.page.goto(path);
  expect(response?.status(), path).toBe(200);
  if (javaScript) await journey.page.waitForSelector('html[data-hydrated="true"]', { state: 'attached' });
  return journey.page;
}

/** Clicks a button that posts a form and waits until the page shows the answer. */
export async function submit(page: Page, button: ReturnType<Page['getByRole']>): Promise<void> {
  await Promise.all([
    page.waitForResponse((response) => response.request().method() === 'POST'),
    button.click(),
  ]);
  await page.waitForLoadState();
}

/** No serious or critical axe finding, no CSP violation, and the screenshot to look at. */
export async function checkScreen(journey: JourneyPage, name: string): Promise<void> {
  expect(await seriousAxeViolations(journey.page), name).toEqual([]);
  expect(journey.cspViolations, name).toEqual([]);
  await screenshot(journey.page, name);
}

/** A contact with an email, and a deal of theirs in the default pipeline's first stage. */
export async function contactAndDeal(workspace: Workspace, name = 'Grace Hopper') {
  const email = `grace-${randomUUID().slice(0, 8)}@example.com`;
  const contact = await workspace.api.POST('/api/contacts', { body: { name, email } });
  if (!contact.data) throw new Error(`creating a contact answered ${contact.response.status}`);
  const deal = await workspace.api.POST('/api/deals', {
    body: { title: 'Piano course', contactId: contact.data.id },
  });
  if (!deal.data) throw new Error(`creating a deal answered ${deal.response.status}`);
  return { contact: contact.data, deal: deal.data };
}

/** Sets the default pipeline's stage automation: a payment that becomes Complete moves its deal to `stage`. */
export async function moveOnComplete(workspace: Workspace, stage: string): Promise<string> {
  const { data } = await workspace.api.GET('/api/pipelines');
  const pipeline = data?.pipelines.find((candidate) => candidate.isDefault);
  const target = pipeline?.stages.find((candidate) => candidate.name === stage);
  if (!pipeline || !target) throw new Error(`no default pipeline with a stage ${stage}`);
  const { response } = await workspace.api.PUT('/api/pipelines/{id}/automations', {
    params: { path: { id: pipeline.id } },
    body: {
      processing: null,
      complete: target.id,
      returned: null,
      cancelled: null,
      confirmed_by_team_member: null,
    },
  });
  if (!response.ok) throw new Error(`setting the automation answered ${response.status}`);
  return target.id;
}

/** A link made through the API on a deal, with the workspace's sandbox method. */
export async function dealLink(workspace: Workspace, dealId: string, description: string, amount = '25.00') {
  const methods = await workspace.api.GET('/api/payment-methods');
  const link = await workspace.api.POST('/api/payment-links', {
    body: {
      origin: 'deal',
      dealId,
      methodId: methods.data!.paymentMethods[0]!.id,
      amount,
      currency: 'EUR',
      description,
      validityDays: 7,
      type: 'custom',
    },
  });
  if (!link.data) throw new Error(`creating a link answered ${link.response.status}`);
  return link.data;
}

/** Fills in the tab's Create payment form (opened first) and submits it. */
export async function createLinkInTab(
  page: Page,
  fields: { description: string; amount: string; noLimit?: boolean },
): Promise<void> {
  const summary = page.getByText('Create payment', { exact: true });
  await summary.click();
  await page.getByLabel('Payment description').fill(fields.description);
  await page.getByLabel('Amount', { exact: true }).fill(fields.amount);
  if (fields.noLimit) await page.getByLabel('No limit').check();
  await submit(page, page.getByRole('button', { name: 'Create link' }));
}

/** The link item on the tab, found by its description. */
export const linkItem = (page: Page, description: string) =>
  page.locator('[data-link-id]').filter({ hasText: description });

/** The payment item on the tab, found by its description. */
export const paymentItem = (page: Page, description: string) =>
  page.locator('li[data-payment-id]').filter({ hasText: description });

export type { PaymentLink };
