import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { inject } from 'vitest';
import type { components } from '../../src/lib/api/schema';
import { createLink, testApi, type Workspace } from './api-helpers';

type PaymentLink = components['schemas']['PaymentLink'];

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical WCAG 2.2 AA violations on the page as it is now. */
export async function seriousAxeViolations(page: Page, waivedRules: string[] = []): Promise<string[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    // biome-ignore lint/suspicious/noExplicitAny: axe is the injected global.
    (window as any).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] },
    }),
  );
  return (result.violations as { id: string; impact: string; nodes: { target: string[] }[] }[])
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .filter((violation) => !waivedRules.includes(violation.id))
    .map(
      (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
}

/**
 * Every script the page loads (PCI DSS 6.4.3: an inventory of the payment page's scripts). The pay
 * page ships none: anything here, ours or a third party's, fails the allowlist.
 */
export function watchScripts(page: Page): string[] {
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(request.url());
  });
  return scripts;
}
export const allowedScripts: string[] = [];

export const tokenOf = (link: PaymentLink) => new URL(link.url).pathname.split('/').pop()!;
export const pathOf = (link: PaymentLink) => new URL(link.url).pathname;

/** How many payments the workspace holds: each click-through records one. */
export async function paymentCount(workspace: Workspace): Promise<number> {
  const { data } = await workspace.api.GET('/api/payments', { params: { query: { limit: 100 } } });
  if (!data) throw new Error('listing payments failed');
  return data.items.length;
}

/** A deal of the workspace's contact and a payment link on it: paid once, it is gone. */
export async function createDealLink(workspace: Workspace): Promise<PaymentLink> {
  const contact = await workspace.api.POST('/api/contacts', {
    body: { name: 'Deal Payer', email: `deal-${randomUUID()}@example.com` },
  });
  const deal = await workspace.api.POST('/api/deals', {
    body: { title: 'Spring course', contactId: contact.data!.id },
  });
  if (!deal.data) throw new Error(`creating a deal answered ${deal.response.status}`);
  return createLink(workspace, { target: { origin: 'deal', dealId: deal.data.id } });
}

export const sandboxCard = {
  pays: '4242 4242 4242 4242',
  declined: '4000 0000 0000 0002',
  insufficientFunds: '4000 0000 0000 9995',
  notATestCard: '4111 1111 1111 1111',
};

/** Checkout through the API, as a script would: `card` is the sandbox card number. */
export async function apiCheckout(link: PaymentLink, paymentId: string | null, cardNumber: string) {
  return testApi().POST('/api/pay/{token}/checkout', {
    params: { path: { token: tokenOf(link) } },
    headers: { 'user-agent': 'Mozilla/5.0 (journey test)' },
    body: {
      paymentId,
      email: 'payer@example.com',
      phone: '+31 6 12345678',
      card: { cardNumber, expiry: '12/39', cvc: '123' },
    },
  });
}

/** Opens the link through the API, as a browser would, and answers the payment the visit recorded. */
export async function apiVisit(link: PaymentLink): Promise<string> {
  const { data, response } = await testApi().GET('/api/pay/{token}', {
    params: { path: { token: tokenOf(link) } },
    headers: { 'user-agent': 'Mozilla/5.0 (journey test)' },
  });
  if (!data?.paymentId) throw new Error(`opening the link answered ${response.status}`);
  return data.paymentId;
}

/** Requests from another loopback address: a client of its own to the API's per-address limits. */
export function requestFrom(localAddress: string) {
  const { hostname, port } = new URL(inject('baseUrl'));
  const agent = new http.Agent({ keepAlive: true, localAddress });
  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      http
        .get(
          { host: hostname, port, path, agent, headers: { 'user-agent': 'Mozilla/5.0', ...headers } },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk) => {
              body += chunk;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
          },
        )
        .on('error', reject);
    });
  return { get, close: () => agent.destroy() };
}
